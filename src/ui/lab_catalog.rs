//! TEMP until the model lands.
pub fn scenario_list() -> Vec<(String, String)> {
    Vec::new()
}
