use super::*;
use fsrs::FSRS;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

/// Parameter sets: the defaults (none given), FSRS-6 sets such as the optimizer gives, an FSRS-5 set (19) and an
/// FSRS-4.5 one (17), sets at the edges of the crate's clamps, and one the crate has to clip.
fn parameter_sets() -> Vec<Vec<f32>> {
    vec![
        vec![],
        vec![
            0.4, 0.9, 3.1, 15.7, 7.2, 0.53, 1.46, 0.0046, 1.54, 0.12, 1.01, 1.93, 0.11, 0.29, 2.27, 0.23, 2.99, 0.52,
            0.66, 0.12, 0.33,
        ],
        vec![
            1.1, 2.8, 6.5, 30.2, 5.1, 1.2, 2.1, 0.02, 2.3, 0.05, 0.6, 1.1, 0.2, 0.4, 1.2, 0.4, 2.5, 0.9, 0.3, 0.3, 0.5,
        ],
        vec![
            0.1301, 0.6123, 1.9871, 5.4512, 6.8823, 0.6612, 2.4411, 0.0121, 1.7323, 0.2011, 0.9012, 1.6121, 0.0912,
            0.3321, 1.8712, 0.4512, 2.2111, 0.3012, 0.1512, 0.0312, 0.2212,
        ],
        vec![
            0.40255, 1.18385, 3.173, 15.69105, 7.1949, 0.5345, 1.4604, 0.0046, 1.54575, 0.1192, 1.01925, 1.9395, 0.11,
            0.29605, 2.2698, 0.2315, 2.9898, 0.51655, 0.6621,
        ],
        vec![
            0.4872, 1.4003, 3.7145, 13.8206, 5.1618, 1.2298, 0.8975, 0.031, 1.6474, 0.1367, 1.0461, 2.1072, 0.0793,
            0.3246, 1.587, 0.2272, 2.8755,
        ],
        // The edges: the highest short-term exponents and decay, no stability power on a success.
        vec![
            0.001, 100.0, 0.001, 100.0, 10.0, 4.0, 0.001, 0.75, 4.5, 0.0, 3.5, 5.0, 0.25, 0.9, 4.0, 1.0, 6.0, 2.0, 2.0,
            0.8, 0.8,
        ],
        vec![
            100.0, 0.001, 100.0, 0.001, 1.0, 0.001, 4.0, 0.001, 0.0, 0.8, 0.001, 0.001, 0.001, 0.001, 0.0, 0.0, 1.0,
            0.0, 0.0, 0.0, 0.1,
        ],
        // Outside the clamps: the crate clips them.
        vec![
            0.0, -1.0, 200.0, 3.0, 12.0, 0.0, 5.0, 1.0, 5.0, -0.1, 4.0, 6.0, 0.3, 1.0, -1.0, 1.5, 0.5, 3.0, -1.0, 1.0,
            0.05,
        ],
    ]
}

const RETENTIONS: [f32; 6] = [0.7, 0.75, 0.8, 0.9, 0.95, 0.99];

fn stepper(parameters: &[f32], retention: f32) -> Stepper {
    Stepper::new(&fsrs::check_and_fill_parameters(parameters).unwrap(), retention).unwrap()
}

/// Every number of `next` (or the error) as bits.
fn bits(next: Option<NextStates>) -> Option<[u32; 12]> {
    let next = next?;
    let items = [next.again, next.hard, next.good, next.easy];
    let mut out = [0; 12];
    for (i, item) in items.iter().enumerate() {
        out[3 * i] = item.memory.stability.to_bits();
        out[3 * i + 1] = item.memory.difficulty.to_bits();
        out[3 * i + 2] = item.interval.to_bits();
    }
    Some(out)
}

/// Asserts the step gives the crate's next states to the bit for `memory` after `days` days; `count` tallies the
/// cases.
fn check(fsrs: &FSRS, stepper: &Stepper, retention: f32, memory: Option<MemoryState>, days: u32, count: &mut u64) {
    let crate_states = bits(fsrs.next_states(memory, retention, days).ok());
    let own = bits(stepper.next_states(memory, days));
    assert_eq!(
        own, crate_states,
        "memory {memory:?}, {days} days, retention {retention}, stepper {stepper:?}"
    );
    *count += 1;
}

#[test]
fn the_parameters_are_the_crates_own_after_its_clipping() {
    for parameters in parameter_sets() {
        let fsrs = FSRS::new(&parameters).unwrap();
        let stepper = stepper(&parameters, 0.9);
        // The crate keeps its parameters to itself but shows them (each `f32` in the shortest form that reads back
        // to the same bits).
        assert_eq!(
            format!("{fsrs:?}"),
            format!("FSRS {{ parameters: {:?} }}", stepper.w),
            "{parameters:?}"
        );
    }
}

#[test]
fn the_step_is_the_crates_to_the_bit_over_a_dense_sweep() {
    // Stabilities 0.001..36500 spread evenly on a log scale, with the bounds themselves and just past them.
    let mut stabilities: Vec<f32> = (0..=24)
        .map(|i| 0.001 * 10f32.powf(i as f32 * 7.562_293 / 24.0))
        .collect();
    stabilities.extend([0.001, 36_500.0, 0.000_5, 40_000.0, 0.0, 1.0, 2.5, 7.0, 20.0]);
    let difficulties = [0.5, 1.0, 1.5, 2.0, 3.3, 4.0, 5.0, 5.5, 6.7, 8.0, 9.2, 10.0, 11.0];
    let days = [
        0, 1, 2, 3, 4, 6, 9, 14, 21, 30, 45, 70, 100, 180, 365, 700, 1200, 2000, 3000, 3650,
    ];
    let mut count = 0;
    for parameters in parameter_sets() {
        let fsrs = FSRS::new(&parameters).unwrap();
        for retention in [0.7, 0.9, 0.99] {
            let stepper = stepper(&parameters, retention);
            for &days in &days {
                check(&fsrs, &stepper, retention, None, days, &mut count);
                for &stability in &stabilities {
                    for &difficulty in &difficulties {
                        let memory = MemoryState { stability, difficulty };
                        check(&fsrs, &stepper, retention, Some(memory), days, &mut count);
                    }
                }
            }
        }
    }
    assert!(count > 70_000, "{count}");
}

#[test]
fn the_step_is_the_crates_to_the_bit_over_a_random_sweep() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x5eed_f5e5);
    let mut count = 0;
    for parameters in parameter_sets() {
        let fsrs = FSRS::new(&parameters).unwrap();
        let drawn: Vec<f32> = (0..4).map(|_| rng.random_range(0.7f32..=0.99)).collect();
        for retention in RETENTIONS.into_iter().chain(drawn) {
            let stepper = stepper(&parameters, retention);
            for _ in 0..800 {
                // Log-uniform stabilities, uniform difficulties, elapsed days mostly short and some the same day.
                let stability = 10f32.powf(rng.random_range(-3.0f32..4.562_293));
                let difficulty = rng.random_range(1.0f32..=10.0);
                let days = match rng.random_range(0..4) {
                    0 => 0,
                    1 => rng.random_range(0..=30),
                    _ => rng.random_range(0..=3650),
                };
                let memory = (rng.random_range(0..20) > 0).then_some(MemoryState { stability, difficulty });
                check(&fsrs, &stepper, retention, memory, days, &mut count);
            }
        }
    }
    assert!(count > 60_000, "{count}");
}

#[test]
fn a_state_the_crate_refuses_is_refused() {
    let fsrs = FSRS::new(&[]).unwrap();
    let stepper = stepper(&[], 0.9);
    let mut count = 0;
    for (stability, difficulty) in [
        (f32::NAN, 5.0),
        (5.0, f32::NAN),
        (f32::INFINITY, 5.0),
        (3.0, f32::INFINITY),
    ] {
        let memory = MemoryState { stability, difficulty };
        for days in [0, 3] {
            check(&fsrs, &stepper, 0.9, Some(memory), days, &mut count);
        }
    }
    assert!(
        stepper
            .next_states(
                Some(MemoryState {
                    stability: f32::NAN,
                    difficulty: 5.0
                }),
                3
            )
            .is_none()
    );
}
