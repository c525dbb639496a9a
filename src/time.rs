//! Moments in time as amgi stores them: whole seconds with the UTC offset they were recorded in.
//!
//! Nothing here reads the clock; [`crate::run`] does, once, and honours `AMGI_NOW`.

use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp, civil};
use std::fmt;
use std::str::FromStr;

/// The hour a new day starts at, local time (as in Anki): reviews done at 02:00 still count for the day before.
pub const DAY_STARTS_AT_HOUR: i8 = 4;

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
        let local = offset.to_datetime(self.timestamp);
        let shifted = local
            .checked_sub(SignedDuration::from_hours(DAY_STARTS_AT_HOUR.into()))
            .unwrap_or(local);
        shifted.date()
    }

    /// The local date of the amgi day this moment falls in, at its own offset.
    pub fn day(self) -> civil::Date {
        self.day_at(self.offset)
    }

    /// The moment day `date` starts (04:00 local) at this moment's offset; clamped to the first or last moment
    /// there is for a start beyond them (a due date near the year 9999 stays in the future).
    pub fn start_of(self, date: civil::Date) -> Moment {
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
        let (now, then) = (self.day(), earlier.day_at(self.offset));
        (now - then).get_days()
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
}
