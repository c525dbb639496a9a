//! FSRS parameters fitted to the user's own review history.
