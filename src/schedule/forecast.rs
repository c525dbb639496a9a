//! FSRS's next states for the forecast (`amgi plan`), worked out in plain `f32` with what depends only on the
//! parameters and the retention worked out once.
//!
//! Why it exists: `amgi plan` follows every card through the plan, about 48,000 steps on a 10,000-card deck, and
//! `FSRS::next_states` takes some 3,100 instructions a step: it works out all four grades one after another, each
//! with its own forgetting curve, the constants of the curve again and again, and the interval's retention power
//! four times (56 calls to `exp` and `powf` a step). Here the same step takes 6 of them at most, for about a sixth
//! of the instructions (some 490 a step: the whole `amgi plan` on that deck went from 603M instructions to 477M).
//!
//! The `fsrs` crate is the reference: this is its `next_states` (src/inference.rs) over its `step`,
//! `next_interval` and the functions they call (src/model.rs), the same operations on the same values in the same
//! order, so every result is the crate's to the bit; only work that does not depend on the card is taken out of
//! the step, and work for a branch the step does not take is skipped. The tests hold it to `FSRS::next_states`
//! bit for bit over a dense and a random sweep of states, elapsed days, retentions and parameter sets. The drill's
//! own scheduling goes through the crate itself; only the forecast uses this.

use fsrs::{ItemState, MemoryState, NextStates};

/// The crate's bounds on stability and difficulty (src/simulation.rs there).
const S_MIN: f32 = 0.001;
const S_MAX: f32 = 36_500.0;
const D_MIN: f32 = 1.0;
const D_MAX: f32 = 10.0;
/// The crate's bound on the first stabilities (src/parameter_initialization.rs there).
const INIT_S_MAX: f32 = 100.0;

/// The parameters as `FSRS::new` keeps them (filled in, then clipped) and the constants of its step.
#[derive(Debug, Clone)]
pub(super) struct Stepper {
    /// The 21 parameters, clipped as `FSRS::new` clips them.
    w: [f32; 21],
    /// `-w[20]`: the forgetting curve's exponent.
    decay: f32,
    /// The forgetting curve's factor, `(ln 0.9 / decay).exp() - 1`.
    factor: f32,
    /// The interval's retention term, `retention.powf(1 / decay) - 1`.
    retention_factor: f32,
    /// `w[8].exp()`, of the stability after a success.
    exp_w8: f32,
    /// `(w[17] * w[18]).exp()`, the divisor of the ceiling on the stability after a lapse.
    lapse_ceiling_divisor: f32,
    /// `init_difficulty(4)`, the difficulty mean reversion goes toward.
    reversion_target: f32,
    /// `(w[17] * (rating - 3 + w[18])).exp()` for each rating, of the same-day stability.
    short_term: [f32; 4],
}

impl Stepper {
    /// The step of `FSRS::new(parameters)` aiming at `retention`; `parameters` are filled in already
    /// (`fsrs::check_and_fill_parameters`).
    pub(super) fn new(filled: &[f32], retention: f32) -> Option<Stepper> {
        let w: [f32; 21] = clip(filled.try_into().ok()?);
        let decay = -w[20];
        let factor = (0.9f32.ln() / decay).exp() - 1.0;
        let short_term = [1.0f32, 2.0, 3.0, 4.0].map(|rating| (w[17] * (rating - 3.0 + w[18])).exp());
        Some(Stepper {
            w,
            decay,
            factor,
            retention_factor: retention.powf(1.0 / decay) - 1.0,
            exp_w8: w[8].exp(),
            lapse_ceiling_divisor: (w[17] * w[18]).exp(),
            reversion_target: init_difficulty(&w, 4),
            short_term,
        })
    }

    /// `FSRS::next_states(memory, retention, days_elapsed)`, to the bit; `None` where the crate gives an error (a
    /// state that is not finite).
    pub(super) fn next_states(&self, memory: Option<MemoryState>, days_elapsed: u32) -> Option<NextStates> {
        let w = &self.w;
        let (state, new) = match memory {
            Some(state) => (state, false),
            None => (
                MemoryState {
                    stability: 0.0,
                    difficulty: 0.0,
                },
                true,
            ),
        };
        let delta_t = days_elapsed as f32;
        let last_s = state.stability.clamp(S_MIN, S_MAX);
        let last_d = state.difficulty.clamp(D_MIN, D_MAX);
        // The stabilities of the four grades, as the crate's `step` chooses among them.
        let stability: [f32; 4] = if new && state.stability == 0.0 {
            // The first answer: the initial stabilities.
            [w[0], w[1], w[2], w[3]]
        } else if delta_t == 0.0 {
            // The same day: the short-term stability (`stability_short_term`).
            let power = last_s.powf(-w[19]);
            let mut out = [0.0; 4];
            for (i, s) in out.iter_mut().enumerate() {
                let sinc = self.short_term[i] * power;
                *s = last_s * if i + 1 >= 2 { sinc.max(1.0) } else { sinc };
            }
            out
        } else {
            // `power_forgetting_curve`, then `stability_after_failure` for Again and `stability_after_success`
            // for the others.
            let r = (delta_t / last_s * self.factor + 1.0).powf(self.decay);
            let lapse = w[11] * last_d.powf(-w[12]) * ((last_s + 1.0).powf(w[13]) - 1.0) * ((1.0 - r) * w[14]).exp();
            let again = lapse.min(last_s / self.lapse_ceiling_divisor);
            let growth = self.exp_w8 * (11.0 - last_d) * last_s.powf(-w[9]) * (((1.0 - r) * w[10]).exp() - 1.0);
            // The hard penalty and the easy bonus are 1.0 for the grades they are not (a product by 1.0 is the
            // product itself).
            [
                again,
                last_s * (growth * w[15] + 1.0),
                last_s * (growth + 1.0),
                last_s * (growth * w[16] + 1.0),
            ]
        };
        let mut next = [0.0f32, 0.0, 0.0, 0.0].map(|_| ItemState {
            memory: MemoryState {
                stability: 0.0,
                difficulty: 0.0,
            },
            interval: 0.0,
        });
        for (i, item) in next.iter_mut().enumerate() {
            let rating = (i + 1) as f32;
            let difficulty = if new && state.stability == 0.0 {
                init_difficulty(w, i + 1).clamp(D_MIN, D_MAX)
            } else {
                // `next_difficulty`, then `mean_reversion`.
                let delta_d = -w[6] * (rating - 3.0);
                let d = last_d + (10.0 - last_d) * delta_d / 9.0;
                (w[7] * (self.reversion_target - d) + d).clamp(D_MIN, D_MAX)
            };
            let memory = MemoryState {
                stability: stability[i].clamp(S_MIN, S_MAX),
                difficulty,
            };
            // `validate_state`.
            if !memory.stability.is_finite() || !memory.difficulty.is_finite() {
                return None;
            }
            // `next_interval`.
            item.interval = memory.stability / self.factor * self.retention_factor;
            item.memory = memory;
        }
        let [again, hard, good, easy] = next;
        Some(NextStates {
            again,
            hard,
            good,
            easy,
        })
    }
}

/// The crate's `init_difficulty`.
fn init_difficulty(w: &[f32; 21], rating: usize) -> f32 {
    w[4] - (w[5] * rating.saturating_sub(1) as f32).exp() + 1.0
}

/// The crate's `clip_parameters` as `FSRS::new` calls it: one relearning step, short-term stability not forced
/// on.
fn clip(mut w: [f32; 21]) -> [f32; 21] {
    let w17_w18_ceiling = 2.0;
    let w19_floor = 0.0;
    let clamps: [(f32, f32); 21] = [
        (S_MIN, INIT_S_MAX),
        (S_MIN, INIT_S_MAX),
        (S_MIN, INIT_S_MAX),
        (S_MIN, INIT_S_MAX),
        (D_MIN, D_MAX),
        (0.001, 4.0),
        (0.001, 4.0),
        (0.001, 0.75),
        (0.0, 4.5),
        (0.0, 0.8),
        (0.001, 3.5),
        (0.001, 5.0),
        (0.001, 0.25),
        (0.001, 0.9),
        (0.0, 4.0),
        (0.0, 1.0),
        (1.0, 6.0),
        (0.0, w17_w18_ceiling),
        (0.0, w17_w18_ceiling),
        (w19_floor, 0.8),
        (0.1, 0.8),
    ];
    for (w, (low, high)) in w.iter_mut().zip(clamps) {
        *w = w.clamp(low, high);
    }
    w
}

#[cfg(test)]
mod tests;
