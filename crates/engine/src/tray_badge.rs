//! The tray icon's level as a dot in its lower right corner — none while all is well, amber for
//! attention, red for an error — drawn onto the app icon's RGBA pixels, for the app's tray and the
//! tray process alike. A white ring keeps it readable on dark and light panels; the menu's status
//! line says the same in words.

use crate::health_summary::HealthLevel;

const AMBER: [u8; 3] = [0xf5, 0x9e, 0x0b];
const RED: [u8; 3] = [0xdc, 0x26, 0x26];
const WHITE: [u8; 3] = [0xff, 0xff, 0xff];

/// Draws `level`'s dot onto `rgba` (`width` × `height`, 4 bytes a pixel, row by row). Pixels
/// outside the buffer are left alone, so a short buffer cannot panic.
pub fn draw_level_badge(rgba: &mut [u8], width: u32, height: u32, level: HealthLevel) {
    let colour = match level {
        HealthLevel::Normal => return,
        HealthLevel::Attention => AMBER,
        HealthLevel::Error => RED,
    };
    let size = width.min(height) as f32;
    let radius = size * 0.24;
    let ring = (size * 0.06).max(1.0);
    let (cx, cy) = (width as f32 - radius - 0.5, height as f32 - radius - 0.5);
    for y in 0..height {
        for x in 0..width {
            let d = ((x as f32 + 0.5 - cx).powi(2) + (y as f32 + 0.5 - cy).powi(2)).sqrt();
            // Coverage over the pixel's edge: one pixel of smoothing.
            let outer = (radius + ring - d + 0.5).clamp(0.0, 1.0);
            if outer <= 0.0 {
                continue;
            }
            let inner = (radius - d + 0.5).clamp(0.0, 1.0);
            let index = ((y * width + x) * 4) as usize;
            let Some(pixel) = rgba.get_mut(index..index + 4) else {
                return;
            };
            for c in 0..3 {
                let fill = f32::from(colour[c]) * inner + f32::from(WHITE[c]) * (1.0 - inner);
                pixel[c] = (fill * outer + f32::from(pixel[c]) * (1.0 - outer)).round() as u8;
            }
            pixel[3] = pixel[3].max((outer * 255.0).round() as u8);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn icon() -> Vec<u8> {
        // A transparent 32×32 icon with a grey pixel in its upper left.
        let mut rgba = vec![0; 32 * 32 * 4];
        rgba[..4].copy_from_slice(&[0x80, 0x80, 0x80, 0xff]);
        rgba
    }

    fn pixel(rgba: &[u8], x: usize, y: usize) -> [u8; 4] {
        let i = (y * 32 + x) * 4;
        [rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]]
    }

    #[test]
    fn normal_leaves_the_icon_as_it_is() {
        let mut rgba = icon();
        draw_level_badge(&mut rgba, 32, 32, HealthLevel::Normal);
        assert_eq!(rgba, icon());
    }

    #[test]
    fn attention_and_error_paint_their_colour_in_the_corner_only() {
        for (level, colour) in [(HealthLevel::Attention, AMBER), (HealthLevel::Error, RED)] {
            let mut rgba = icon();
            draw_level_badge(&mut rgba, 32, 32, level);
            let centre = pixel(&rgba, 24, 24);
            assert_eq!(&centre[..3], &colour, "{level:?}");
            assert_eq!(centre[3], 0xff);
            assert_eq!(
                pixel(&rgba, 0, 0),
                [0x80, 0x80, 0x80, 0xff],
                "the rest stays"
            );
            assert_eq!(pixel(&rgba, 8, 8), [0, 0, 0, 0]);
        }
    }

    #[test]
    fn a_short_buffer_is_left_alone_without_a_panic() {
        let mut rgba = vec![0; 10];
        draw_level_badge(&mut rgba, 32, 32, HealthLevel::Error);
        assert_eq!(rgba, vec![0; 10]);
    }
}
