//! Figures from the review log and progress: calendar, streaks, retention, topics, weakest cards, forecast.
