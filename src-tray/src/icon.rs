//! The tray icon: the app's own 32×32 PNG, built into the binary and decoded to the RGBA the tray wants.

use tray_icon::Icon;

const PNG: &[u8] = include_bytes!("../../assets/icons/32x32.png");

pub fn app_icon() -> Result<Icon, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(PNG));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let mut rgba = vec![0; reader.output_buffer_size().ok_or("the icon is too large")?];
    let frame = reader.next_frame(&mut rgba).map_err(|e| e.to_string())?;
    rgba.truncate(frame.buffer_size());
    Icon::from_rgba(rgba, frame.width, frame.height).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_icon_decodes_to_rgba() {
        super::app_icon().expect("the built-in icon decodes");
    }
}
