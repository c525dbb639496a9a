//! Interview-date mode: what a drill asks before the interview day, and how much will be recalled on it.
