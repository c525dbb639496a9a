//! What `amgi plan` prints: the expected recall per topic, the answers and minutes a day, as text or JSON.

use super::{Outlook, Plan, Prediction, load};
use crate::{pad, round4};
use jiff::civil::Date;
use serde::Serialize;

/// Everything `amgi plan` prints about a plan.
pub struct Report<'a> {
    /// The plan.
    pub plan: Plan,
    /// The amgi day of now.
    pub today: Date,
    /// The target retention.
    pub retention: f32,
    /// What following the plan is expected to give.
    pub prediction: &'a Prediction,
    /// Seconds an answer takes: the user's own median, else `--target-seconds`.
    pub seconds: f64,
    /// How many answers the median was taken over; `None` when `seconds` is `--target-seconds`.
    pub answers_timed: Option<usize>,
    /// `--max-reviews`.
    pub max_reviews: usize,
    /// The cards a final pass takes on the eve and the day, else `None`.
    pub final_pass: Option<usize>,
}

impl Report<'_> {
    /// Minutes a day the plan needs at [`Report::seconds`] an answer.
    pub fn minutes_per_day(&self) -> f64 {
        let (mean, _) = load(&self.prediction.per_day);
        mean * self.seconds / 60.0
    }

    /// The report as one line of JSON: the fields the README lists, in its order, shares and figures rounded to
    /// 4 decimals.
    pub fn json<'b>(&'b self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            interview: String,
            planned_on: String,
            days_left: i32,
            retention: f64,
            topics: Vec<JsonOutlook<'a>>,
            overall: JsonOutlook<'a>,
            answers: usize,
            final_pass_answers: usize,
            per_day: Vec<JsonDay>,
            seconds_per_answer: f64,
            answers_timed: usize,
            minutes_per_day: f64,
            final_pass: Option<usize>,
        }
        #[derive(Serialize)]
        struct JsonOutlook<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            topic: Option<&'a str>,
            cards: usize,
            with_plan: f64,
            with_final_pass: f64,
            without: f64,
        }
        #[derive(Serialize)]
        struct JsonDay {
            day: String,
            answers: usize,
        }
        let outlook = |topic: Option<&'b str>, o: &Outlook| JsonOutlook {
            topic,
            cards: o.cards,
            with_plan: round4(o.with_plan),
            with_final_pass: round4(o.with_final_pass),
            without: round4(o.without),
        };
        let json = Json {
            interview: self.plan.interview.to_string(),
            planned_on: self.plan.planned_on.to_string(),
            days_left: self.plan.days_left(self.today),
            retention: round4(f64::from(self.retention)),
            topics: self
                .prediction
                .topics
                .iter()
                .map(|(topic, o)| outlook(Some(topic), o))
                .collect(),
            overall: outlook(None, &self.prediction.overall),
            answers: self.prediction.answers(),
            final_pass_answers: self.prediction.final_pass_answers,
            per_day: self
                .prediction
                .per_day
                .iter()
                .map(|(day, answers)| JsonDay {
                    day: day.to_string(),
                    answers: *answers,
                })
                .collect(),
            seconds_per_answer: round4(self.seconds),
            answers_timed: self.answers_timed.unwrap_or(0),
            minutes_per_day: round4(self.minutes_per_day()),
            final_pass: self.final_pass,
        };
        serde_json::to_string(&json).unwrap_or_default()
    }

    /// The report as text.
    pub fn text(&self) -> String {
        use std::fmt::Write as _;
        let mut text = String::new();
        let plan = &self.plan;
        let days = plan.days_left(self.today);
        let when = match days {
            0 if self.today == plan.interview => "today".to_string(),
            0 => "passed; `amgi plan --clear` forgets it".to_string(),
            1 => "tomorrow".to_string(),
            n => format!("in {n} days"),
        };
        let _ = writeln!(
            text,
            "Interview on {} ({when}); plan made {}.",
            plan.interview, plan.planned_on
        );
        if days > 0 {
            let _ = writeln!(
                text,
                "Until {} a drill brings back every review due after it by then and brings cards under {:.0}% on the day forward.",
                plan.eve(),
                self.retention * 100.0
            );
        }
        let _ = writeln!(text);
        let rows: Vec<(&str, &Outlook)> = self
            .prediction
            .topics
            .iter()
            .map(|(t, o)| (t.as_str(), o))
            .chain([("overall", &self.prediction.overall)])
            .collect();
        let width = rows
            .iter()
            .map(|(t, _)| crate::display_width(t))
            .max()
            .unwrap_or(0)
            .max(5);
        // The final pass column is for a plan with an eve still to come.
        let pass = days > 0;
        let _ = writeln!(
            text,
            "{}  {:>5}  {:>9}{}  {:>7}",
            pad("recall", width),
            "cards",
            "with plan",
            if pass { "  + final pass" } else { "" },
            "without"
        );
        for (topic, o) in rows {
            let with_pass = format!("  {:>11.0}%", o.with_final_pass * 100.0);
            let _ = writeln!(
                text,
                "{}  {:>5}  {:>8.0}%{}  {:>6.0}%",
                pad(topic, width),
                o.cards,
                o.with_plan * 100.0,
                if pass { with_pass.as_str() } else { "" },
                o.without * 100.0
            );
        }
        let _ = writeln!(text);
        if days > 0 {
            let (mean, busiest) = load(&self.prediction.per_day);
            let answers = self.prediction.answers();
            let span = self.prediction.per_day.len();
            let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
            if answers == 0 {
                let _ = writeln!(text, "The plan asks for no answers before the day.");
            } else {
                let _ = writeln!(
                    text,
                    "The plan asks {} over {}, about {mean:.0} a day.",
                    plural(answers, "answer", "answers"),
                    plural(span, "day", "days")
                );
            }
            if let Some((day, n)) = busiest.filter(|(_, n)| *n > 0 && span > 1) {
                let _ = writeln!(text, "Busiest day: {day}, {}.", plural(n, "answer", "answers"));
            }
            let source = match self.answers_timed {
                Some(timed) => format!("your median over {timed} answers"),
                None => "no timed answers yet: --target-seconds".to_string(),
            };
            let _ = writeln!(
                text,
                "About {:.0} minutes a day at {:.0} s an answer ({source}).",
                self.minutes_per_day(),
                self.seconds
            );
            if let Some((day, n)) = busiest.filter(|(_, n)| *n > self.max_reviews) {
                let _ = writeln!(
                    text,
                    "{day} needs {n} answers, more than --max-reviews {}: the rest wait a day.",
                    self.max_reviews
                );
            }
        }
        if days > 0 && self.prediction.final_pass_answers > 0 {
            let _ = writeln!(
                text,
                "A final pass on the eve over the cards still under {:.0}% takes about {} more answers.",
                self.retention * 100.0,
                self.prediction.final_pass_answers
            );
        }
        if let Some(n) = self.final_pass {
            let _ = writeln!(
                text,
                "A final pass over the {n} cards under {:.0}% is offered when a drill is done (it does not move the schedule).",
                self.retention * 100.0
            );
        }
        text.trim_end().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn report(per_day: Vec<(Date, usize)>) -> String {
        let outlook = Outlook {
            cards: 2,
            with_plan: 0.9,
            with_final_pass: 0.95,
            without: 0.5,
        };
        let prediction = Prediction {
            topics: vec![("network".into(), outlook)],
            overall: outlook,
            per_day,
            final_pass_answers: 3,
        };
        Report {
            plan: Plan {
                interview: date(2026, 12, 10),
                planned_on: date(2026, 11, 24),
            },
            today: date(2026, 11, 24),
            retention: 0.9,
            prediction: &prediction,
            seconds: 30.0,
            answers_timed: None,
            max_reviews: 200,
            final_pass: None,
        }
        .text()
    }

    #[test]
    fn the_load_is_said_in_plain_words_and_the_busiest_day_on_its_own_line() {
        let none = report(vec![(date(2026, 11, 24), 0)]);
        assert!(none.contains("The plan asks for no answers before the day."), "{none}");
        assert!(!none.contains("0 answers over 1 days"), "{none}");
        let one = report(vec![(date(2026, 11, 24), 1)]);
        assert!(
            one.contains("The plan asks 1 answer over 1 day, about 1 a day."),
            "{one}"
        );
        assert!(!one.contains("Busiest"), "one day has no busiest: {one}");
        let some = report(vec![(date(2026, 11, 24), 3), (date(2026, 11, 25), 9)]);
        assert!(
            some.contains("The plan asks 12 answers over 2 days, about 6 a day."),
            "{some}"
        );
        assert!(some.contains("\nBusiest day: 2026-11-25, 9 answers."), "{some}");
    }
}
