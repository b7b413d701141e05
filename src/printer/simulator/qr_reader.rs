//! Reading a printed QR code back from a raster image, for tests that check what the paper holds.

use super::RasterImage;

/// The modules of a QR code read back from a raster image: `side` x `side`, row by row, `true` = dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrModules {
    /// Modules per side.
    pub side: usize,
    /// `side * side` modules.
    pub dark: Vec<bool>,
}

/// Reads a QR code's modules back from a raster image by finding the top-left finder pattern (its
/// first row is 7 dark modules) and sampling every module's centre; `None` if no QR shape is found.
pub fn raster_qr_modules(image: &RasterImage) -> Option<QrModules> {
    let (top, left) = (0..image.height).find_map(|y| {
        (0..image.width())
            .find(|&x| image.dot(x, y))
            .map(|x| (y, x))
    })?;
    let run = (left..image.width())
        .take_while(|&x| image.dot(x, top))
        .count();
    if run < 7 || run % 7 != 0 {
        return None;
    }
    let module = run / 7;
    let right = (left..image.width()).rev().find(|&x| image.dot(x, top))?;
    let span = right + 1 - left;
    if span % module != 0 {
        return None;
    }
    let side = span / module;
    if side < 21 {
        return None;
    }
    let mut dark = Vec::with_capacity(side * side);
    for my in 0..side {
        for mx in 0..side {
            dark.push(image.dot(
                left + mx * module + module / 2,
                top + my * module + module / 2,
            ));
        }
    }
    Some(QrModules { side, dark })
}
