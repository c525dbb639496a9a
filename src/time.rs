//! Moments in time as amgi stores them: whole seconds with the UTC offset they were recorded in.
//!
//! Nothing here reads the clock; [`crate::run`] does, once, and honours `AMGI_NOW`.

use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp, civil};
use std::fmt;
use std::str::FromStr;

/// The hour a new day starts at, local time (as in Anki): reviews done at 02:00 still count for the day before.
pub const DAY_STARTS_AT_HOUR: i8 = 4;

/// Seconds in a day: a fixed offset has no daylight saving time, so every day has as many.
const SECONDS_PER_DAY: i64 = 86_400;
/// Seconds from local midnight to the start of an amgi day.
const DAY_START_SECONDS: i64 = DAY_STARTS_AT_HOUR as i64 * 3600;
/// Local times, in seconds since 1970-01-01T00:00 local, that day arithmetic works out with plain integers: the
/// years 1 to 9000, far inside jiff's limits, so nothing there saturates (beyond them jiff's calendar is asked).
const SIMPLE_SECONDS: std::ops::RangeInclusive<i64> = -62_135_596_800..=221_845_392_000;

/// Days from 1970-01-01 to `date` (negative before it): the proleptic Gregorian calendar, as jiff counts it.
pub fn day_number(date: civil::Date) -> i64 {
    let (month, day) = (i64::from(date.month()), i64::from(date.day()));
    let year = i64::from(date.year()) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `days` days after 1970-01-01 (see [`day_number`]); `None` beyond jiff's dates.
pub fn date_of_day_number(days: i32) -> Option<civil::Date> {
    let z = i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    civil::Date::new(i16::try_from(year).ok()?, month as i8, day as i8).ok()
}

/// An instant, to the second, with the UTC offset it is shown in: `2026-11-24T21:10:03+09:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Moment {
    timestamp: Timestamp,
    offset: Offset,
}

impl Moment {
    /// `timestamp` (sub-seconds dropped) as seen at `offset`.
    pub fn new(timestamp: Timestamp, offset: Offset) -> Self {
        let whole = Timestamp::from_second(timestamp.as_second()).unwrap_or(timestamp);
        Moment {
            timestamp: whole,
            offset,
        }
    }

    /// The instant.
    pub fn timestamp(self) -> Timestamp {
        self.timestamp
    }

    /// The offset it is shown in.
    pub fn offset(self) -> Offset {
        self.offset
    }

    /// This moment moved by `duration`, keeping the offset. Saturates at jiff's limits.
    pub fn plus(self, duration: SignedDuration) -> Self {
        let timestamp = self
            .timestamp
            .checked_add(duration)
            .unwrap_or(if duration.is_negative() {
                Timestamp::MIN
            } else {
                Timestamp::MAX
            });
        Moment::new(timestamp, self.offset)
    }

    /// The local date of the amgi day this moment falls in, seen at `offset` (days start at 04:00).
    pub fn day_at(self, offset: Offset) -> civil::Date {
        self.day_number_at(offset)
            .and_then(date_of_day_number)
            .unwrap_or_else(|| self.day_at_by_calendar(offset))
    }

    /// [`Moment::day_at`] worked out with jiff's calendar: for moments outside [`SIMPLE_SECONDS`].
    fn day_at_by_calendar(self, offset: Offset) -> civil::Date {
        let local = offset.to_datetime(self.timestamp);
        let shifted = local
            .checked_sub(SignedDuration::from_hours(DAY_STARTS_AT_HOUR.into()))
            .unwrap_or(local);
        shifted.date()
    }

    /// The amgi day this moment falls in at `offset`, as days since 1970-01-01 (see [`day_number`]): whole-second
    /// arithmetic, `None` outside [`SIMPLE_SECONDS`].
    pub fn day_number_at(self, offset: Offset) -> Option<i32> {
        let local = self.timestamp.as_second() + i64::from(offset.seconds());
        SIMPLE_SECONDS
            .contains(&local)
            .then(|| (local - DAY_START_SECONDS).div_euclid(SECONDS_PER_DAY) as i32)
    }

    /// The amgi day this moment falls in at its own offset, as days since 1970-01-01 (see [`day_number`]).
    pub fn day_number(self) -> i64 {
        self.day_number_at(self.offset)
            .map_or_else(|| day_number(self.day()), i64::from)
    }

    /// The local date of the amgi day this moment falls in, at its own offset.
    pub fn day(self) -> civil::Date {
        self.day_at(self.offset)
    }

    /// The moment day `date` starts (04:00 local) at this moment's offset; clamped to the first or last moment
    /// there is for a start beyond them (a due date near the year 9999 stays in the future).
    pub fn start_of(self, date: civil::Date) -> Moment {
        self.start_of_day_number(day_number(date))
            .unwrap_or_else(|| self.start_of_by_calendar(date))
    }

    /// The moment the amgi day `days` days after this moment's starts, at this moment's offset: `start_of(day +
    /// days)` with the date saturating at jiff's limits.
    pub fn start_of_days_after(self, days: i32) -> Moment {
        let simple = self
            .day_number_at(self.offset)
            .and_then(|today| self.start_of_day_number(i64::from(today) + i64::from(days)));
        simple.unwrap_or_else(|| self.start_of(self.day().saturating_add(jiff::Span::new().days(days))))
    }

    /// The moment the amgi day numbered `day` (see [`day_number`]) starts at this moment's offset; `None` for a
    /// day whose start is outside [`SIMPLE_SECONDS`].
    fn start_of_day_number(self, day: i64) -> Option<Moment> {
        let local = day.checked_mul(SECONDS_PER_DAY)?.checked_add(DAY_START_SECONDS)?;
        if !SIMPLE_SECONDS.contains(&local) {
            return None;
        }
        let timestamp = Timestamp::from_second(local - i64::from(self.offset.seconds())).ok()?;
        Some(Moment {
            timestamp,
            offset: self.offset,
        })
    }

    /// [`Moment::start_of`] worked out with jiff's calendar: for days outside [`SIMPLE_SECONDS`].
    fn start_of_by_calendar(self, date: civil::Date) -> Moment {
        let start = date.at(DAY_STARTS_AT_HOUR, 0, 0, 0);
        let timestamp = self
            .offset
            .to_timestamp(start)
            .unwrap_or(if start > self.offset.to_datetime(self.timestamp) {
                Timestamp::MAX
            } else {
                Timestamp::MIN
            });
        Moment::new(timestamp, self.offset)
    }

    /// The moment today (the amgi day of this moment) started.
    pub fn start_of_day(self) -> Moment {
        self.start_of(self.day())
    }

    /// Whole amgi days from `earlier` to this moment, counted at this moment's offset (0 the same day).
    pub fn days_since(self, earlier: Moment) -> i32 {
        match (self.day_number_at(self.offset), earlier.day_number_at(self.offset)) {
            (Some(now), Some(then)) => now - then,
            _ => (self.day_at_by_calendar(self.offset) - earlier.day_at_by_calendar(self.offset)).get_days(),
        }
    }

    /// Fractional days from `earlier` to this moment.
    pub fn fractional_days_since(self, earlier: Moment) -> f64 {
        self.timestamp.duration_since(earlier.timestamp).as_secs_f64() / 86_400.0
    }

    /// A moment in the system's time zone offset at that instant.
    pub fn local(timestamp: Timestamp) -> Self {
        let offset = TimeZone::system().to_offset(timestamp);
        Moment::new(timestamp, offset)
    }
}

impl PartialOrd for Moment {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Moments order by instant; the offset only says how they are shown.
impl Ord for Moment {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.timestamp.cmp(&other.timestamp)
    }
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = self.offset.to_datetime(self.timestamp);
        let seconds = self.offset.seconds();
        let sign = if seconds < 0 { '-' } else { '+' };
        let (hours, minutes) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
        write!(
            f,
            "{}{sign}{hours:02}:{minutes:02}",
            local.strftime("%Y-%m-%dT%H:%M:%S")
        )
    }
}

/// Why a moment could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{text:?} is not an RFC 3339 time with a UTC offset (like 2026-11-24T21:10:03+09:00): {source}")]
pub struct MomentError {
    text: String,
    source: jiff::Error,
}

impl FromStr for Moment {
    type Err = MomentError;

    /// RFC 3339 with an offset (`Z` counts as `+00:00`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = |source| MomentError {
            text: text.to_owned(),
            source,
        };
        let timestamp: Timestamp = text.parse().map_err(error)?;
        let pieces = jiff::fmt::temporal::Pieces::parse(text).map_err(error)?;
        let offset = pieces.to_numeric_offset().unwrap_or(Offset::UTC);
        Ok(Moment::new(timestamp, offset))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Moment {
        text.parse().unwrap()
    }

    #[test]
    fn round_trips_with_its_offset() {
        for text in [
            "2026-11-24T21:10:03+09:00",
            "2026-01-01T00:00:00+00:00",
            "2026-06-30T23:59:59-05:30",
        ] {
            assert_eq!(at(text).to_string(), text);
        }
        assert_eq!(at("2026-11-24T12:10:03Z").to_string(), "2026-11-24T12:10:03+00:00");
        assert_eq!(
            at("2026-11-24T21:10:03.987+09:00").to_string(),
            "2026-11-24T21:10:03+09:00"
        );
        assert!("2026-11-24 21:10".parse::<Moment>().is_err());
        assert!(
            "2026-11-24T21:10:03".parse::<Moment>().is_err(),
            "an offset is required"
        );
    }

    #[test]
    fn a_day_starts_at_four_in_the_morning() {
        let late = at("2026-11-25T03:59:59+09:00");
        let early = at("2026-11-25T04:00:00+09:00");
        assert_eq!(late.day(), civil::date(2026, 11, 24));
        assert_eq!(early.day(), civil::date(2026, 11, 25));
        assert_eq!(early.days_since(late), 1);
        assert_eq!(late.days_since(at("2026-11-24T04:00:00+09:00")), 0);
        assert_eq!(late.start_of_day().to_string(), "2026-11-24T04:00:00+09:00");
    }

    #[test]
    fn days_are_counted_at_the_offset_of_now() {
        // 20:00 UTC on the 24th is 05:00 on the 25th in Seoul: a new day there.
        let review = at("2026-11-24T20:00:00+00:00");
        let now = at("2026-11-25T05:00:00+09:00");
        assert_eq!(now.days_since(review), 0);
    }

    /// The calendar arithmetic jiff does, which the integer day arithmetic must give back exactly.
    fn by_calendar_start(moment: Moment, date: civil::Date) -> Moment {
        moment.start_of_by_calendar(date)
    }

    fn moment(seconds: i64, offset_seconds: i32) -> Moment {
        Moment::new(
            Timestamp::from_second(seconds).unwrap(),
            Offset::from_seconds(offset_seconds).unwrap(),
        )
    }

    /// Days, day starts and day counts agree with jiff's calendar for `m` seen at `offset`.
    fn agrees_with_the_calendar(m: Moment, offset: Offset) {
        let day = m.day_at_by_calendar(offset);
        assert_eq!(m.day_at(offset), day, "{m} at {offset}");
        let own = m.day_at_by_calendar(m.offset());
        assert_eq!(m.day_number(), day_number(own), "{m}");
        let seen = Moment::new(m.timestamp(), offset);
        assert_eq!(seen.start_of(day), by_calendar_start(seen, day), "{m} at {offset}");
        for days in [-400, -1, 0, 1, 2, 30, 366, 36_500] {
            let later = day.saturating_add(jiff::Span::new().days(days));
            assert_eq!(
                seen.start_of_days_after(days),
                by_calendar_start(seen, later),
                "{m} at {offset}, {days} days on"
            );
        }
    }

    #[test]
    fn day_numbers_are_jiffs_calendar() {
        let epoch = civil::date(1970, 1, 1);
        let mut date = civil::Date::MIN;
        while date < civil::Date::MAX {
            let days = (date - epoch).get_days();
            assert_eq!(day_number(date), i64::from(days), "{date}");
            assert_eq!(date_of_day_number(days), Some(date), "{date}");
            date = date.saturating_add(jiff::Span::new().days(13));
        }
        assert_eq!(
            day_number(civil::Date::MAX),
            i64::from((civil::Date::MAX - epoch).get_days())
        );
        assert_eq!(date_of_day_number(i32::MAX), None);
    }

    #[test]
    fn integer_days_agree_with_the_calendar_around_midnight_and_four() {
        let offsets = [0, 9 * 3600, -5 * 3600 - 1800, 14 * 3600, -12 * 3600, 93_599, -93_599];
        // Around midnight and 04:00 local, at every offset, seen at every offset (an offset change).
        for &recorded in &offsets {
            for &seen in &offsets {
                for base in [1_782_230_400, 0, -86_400 * 365 * 300, 951_782_400] {
                    for hour in [0, 4] {
                        for delta in [-1, 0, 1] {
                            let local = base + hour * 3600 + delta;
                            let m = moment(local - i64::from(recorded), recorded);
                            agrees_with_the_calendar(m, Offset::from_seconds(seen).unwrap());
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn integer_days_agree_with_the_calendar_to_the_limits() {
        let offsets = [0, 9 * 3600, -93_599, 93_599];
        let mut seconds = vec![Timestamp::MIN.as_second(), Timestamp::MAX.as_second()];
        for edge in [*SIMPLE_SECONDS.start(), *SIMPLE_SECONDS.end()] {
            seconds.extend((-3..=3).map(|d| edge + d * 3600 + d));
            seconds.extend((-3..=3).map(|d| edge + d * SECONDS_PER_DAY));
        }
        // A spread of instants over the whole range jiff has.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let span = (Timestamp::MAX.as_second() - Timestamp::MIN.as_second()) as u64;
            seconds.push(Timestamp::MIN.as_second() + (x % span) as i64);
        }
        for &s in &seconds {
            for &recorded in &offsets {
                let Ok(timestamp) = Timestamp::from_second(s) else {
                    continue;
                };
                let m = Moment::new(timestamp, Offset::from_seconds(recorded).unwrap());
                for &seen in &offsets {
                    agrees_with_the_calendar(m, Offset::from_seconds(seen).unwrap());
                    let other = Moment::new(m.timestamp(), Offset::from_seconds(seen).unwrap());
                    let by_calendar =
                        (m.day_at_by_calendar(m.offset()) - other.day_at_by_calendar(m.offset())).get_days();
                    assert_eq!(m.days_since(other), by_calendar);
                }
            }
        }
    }

    #[test]
    fn days_since_counts_across_an_offset_change() {
        // Answered at 23:30 in Seoul, seen the next evening in New York: days at New York's offset.
        let answered = at("2026-11-24T23:30:00+09:00");
        let later = at("2026-11-25T18:00:00-05:00");
        let by_calendar =
            (later.day_at_by_calendar(later.offset()) - answered.day_at_by_calendar(later.offset())).get_days();
        assert_eq!(later.days_since(answered), by_calendar);
        assert_eq!(later.days_since(answered), 1);
        // Counted back at Seoul's offset, the evening in New York is the morning of the 26th there.
        assert_eq!(answered.days_since(later), -2);
    }
}
