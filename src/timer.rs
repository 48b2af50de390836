//! Stage timings on stderr when `GLOSS_TIMINGS` is set, for profiling builds; every stage
//! reports its laps through it.

/// Prints the time since the last lap, when `GLOSS_TIMINGS` is set.
pub struct Timer {
    enabled: bool,
    last: std::time::Instant,
}

impl Timer {
    pub fn new() -> Self {
        Self {
            enabled: std::env::var_os("GLOSS_TIMINGS").is_some(),
            last: std::time::Instant::now(),
        }
    }

    pub fn lap(&mut self, stage: &str) {
        if self.enabled {
            eprintln!(
                "gloss: {stage:>8} {:>8.1} ms",
                self.last.elapsed().as_secs_f64() * 1000.0
            );
        }
        self.last = std::time::Instant::now();
    }
}

impl Default for Timer {
    fn default() -> Self {
        Self::new()
    }
}
