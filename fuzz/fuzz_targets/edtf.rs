//! Arbitrary strings through the EDTF parser: it returns a date or an error, and every view
//! of a date it accepts (display, sort key, ISO ends, precision) is computed without a panic.
#![no_main]

use gloss::edtf::EdtfDate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    if let Ok(date) = s.parse::<EdtfDate>() {
        let _ = date.display();
        let _ = date.sort_key();
        let _ = date.start_iso();
        let _ = date.end_iso();
        let _ = date.year();
        let _ = date.start_day();
        let _ = date.end_day();
        let _ = date.precision();
        // The canonical text parses again to the same date.
        let again: EdtfDate = date.as_str().parse().expect("canonical text parses");
        assert_eq!(
            again.sort_key(),
            date.sort_key(),
            "{s:?} → {:?}",
            date.as_str()
        );
    } else {
        let _ = s.parse::<EdtfDate>().map_err(|e| e.to_string());
    }
});
