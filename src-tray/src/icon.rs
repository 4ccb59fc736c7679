//! The tray icon: the app's own 32×32 PNG, built into the binary and decoded to the RGBA the tray
//! wants, with the dot of the connections' level drawn on it (`engine/src/tray_badge.rs`).

use tray_icon::Icon;
use tributary_engine::{draw_level_badge, HealthLevel};

const PNG: &[u8] = include_bytes!("../../assets/icons/32x32.png");

/// The icon for `level`: the app's own while all is well, with an amber or red dot otherwise.
pub fn icon_for(level: HealthLevel) -> Result<Icon, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(PNG));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let mut rgba = vec![0; reader.output_buffer_size().ok_or("the icon is too large")?];
    let frame = reader.next_frame(&mut rgba).map_err(|e| e.to_string())?;
    rgba.truncate(frame.buffer_size());
    draw_level_badge(&mut rgba, frame.width, frame.height, level);
    Icon::from_rgba(rgba, frame.width, frame.height).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_icon_decodes_to_rgba_at_every_level() {
        for level in [
            HealthLevel::Normal,
            HealthLevel::Attention,
            HealthLevel::Error,
        ] {
            icon_for(level).expect("the built-in icon decodes");
        }
    }
}
