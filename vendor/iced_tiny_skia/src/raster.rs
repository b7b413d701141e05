use crate::core::image as raster;
use crate::core::{Rectangle, Size};
use crate::graphics;

use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;
use std::collections::hash_map;

#[derive(Debug)]
pub struct Pipeline {
    cache: RefCell<Cache>,
}

impl Pipeline {
    pub fn new() -> Self {
        Self {
            cache: RefCell::new(Cache::default()),
        }
    }

    pub fn load(
        &self,
        handle: &raster::Handle,
    ) -> Result<raster::Allocation, raster::Error> {
        let mut cache = self.cache.borrow_mut();
        let image = cache.allocate(handle)?;

        #[allow(unsafe_code)]
        Ok(unsafe {
            raster::allocate(handle, Size::new(image.width(), image.height()))
        })
    }

    pub fn dimensions(&self, handle: &raster::Handle) -> Option<Size<u32>> {
        let mut cache = self.cache.borrow_mut();
        let image = cache.allocate(handle).ok()?;

        Some(Size::new(image.width(), image.height()))
    }

    pub fn draw(
        &mut self,
        handle: &raster::Handle,
        filter_method: raster::FilterMethod,
        bounds: Rectangle,
        opacity: f32,
        pixels: &mut tiny_skia::PixmapMut<'_>,
        transform: tiny_skia::Transform,
        clip_mask: Option<&tiny_skia::Mask>,
    ) {
        let mut cache = self.cache.borrow_mut();

        if cache.allocate(handle).is_err() {
            return;
        }
        let opaque = cache.is_opaque(handle);

        let Ok(image) = cache.allocate(handle) else {
            return;
        };

        // An opaque picture drawn at its own size on whole pixels and not clipped (a live camera
        // preview) is the same pixels as the image: copy its rows instead of sampling every pixel.
        if clip_mask.is_none()
            && opacity >= 1.0
            && opaque
            && copy_opaque(image, bounds, transform, pixels)
        {
            return;
        }

        let width_scale = bounds.width / image.width() as f32;
        let height_scale = bounds.height / image.height() as f32;

        let transform = transform.pre_scale(width_scale, height_scale);

        let quality = match filter_method {
            raster::FilterMethod::Linear => tiny_skia::FilterQuality::Bilinear,
            raster::FilterMethod::Nearest => tiny_skia::FilterQuality::Nearest,
        };

        pixels.draw_pixmap(
            (bounds.x / width_scale) as i32,
            (bounds.y / height_scale) as i32,
            image,
            &tiny_skia::PixmapPaint {
                quality,
                opacity,
                ..Default::default()
            },
            transform,
            clip_mask,
        );
    }

    pub fn trim_cache(&mut self) {
        self.cache.borrow_mut().trim();
    }
}

/// Copies `image` into `pixels` at `bounds` when that is exactly what drawing it would do: drawn at its own
/// size, the transformation a whole-pixel translation. Returns false (nothing drawn) otherwise.
fn copy_opaque(
    image: tiny_skia::PixmapRef<'_>,
    bounds: Rectangle,
    transform: tiny_skia::Transform,
    pixels: &mut tiny_skia::PixmapMut<'_>,
) -> bool {
    let whole = |v: f32| v == v.trunc();
    if bounds.width != image.width() as f32
        || bounds.height != image.height() as f32
        || transform.has_scale()
        || transform.has_skew()
        || !whole(transform.tx)
        || !whole(transform.ty)
        || !whole(bounds.x)
        || !whole(bounds.y)
    {
        return false;
    }
    let left = bounds.x as i64 + transform.tx as i64;
    let top = bounds.y as i64 + transform.ty as i64;
    let (dst_w, dst_h) = (pixels.width() as i64, pixels.height() as i64);
    let (src_w, src_h) = (image.width() as i64, image.height() as i64);
    let x0 = left.max(0);
    let x1 = (left + src_w).min(dst_w);
    let y0 = top.max(0);
    let y1 = (top + src_h).min(dst_h);
    if x0 >= x1 || y0 >= y1 {
        return true;
    }
    let src = image.data();
    let dst = pixels.data_mut();
    let row_bytes = ((x1 - x0) * 4) as usize;
    for y in y0..y1 {
        let s = (((y - top) * src_w + (x0 - left)) * 4) as usize;
        let d = ((y * dst_w + x0) * 4) as usize;
        dst[d..d + row_bytes].copy_from_slice(&src[s..s + row_bytes]);
    }
    true
}

#[derive(Debug, Default)]
struct Cache {
    entries: FxHashMap<raster::Id, Option<Entry>>,
    hits: FxHashSet<raster::Id>,
}

impl Cache {
    pub fn allocate(
        &mut self,
        handle: &raster::Handle,
    ) -> Result<tiny_skia::PixmapRef<'_>, raster::Error> {
        let id = handle.id();

        if let hash_map::Entry::Vacant(entry) = self.entries.entry(id) {
            let image = match graphics::image::load(handle) {
                Ok(image) => image,
                Err(error) => {
                    let _ = entry.insert(None);

                    return Err(error);
                }
            };

            if image.width() == 0 || image.height() == 0 {
                return Err(raster::Error::Empty);
            }

            let mut buffer =
                vec![0u32; image.width() as usize * image.height() as usize];
            let mut opaque = true;

            for (i, pixel) in image.pixels().enumerate() {
                let [r, g, b, a] = pixel.0;
                opaque &= a == u8::MAX;

                buffer[i] = bytemuck::cast(
                    tiny_skia::ColorU8::from_rgba(b, g, r, a).premultiply(),
                );
            }

            let _ = entry.insert(Some(Entry {
                width: image.width(),
                height: image.height(),
                pixels: buffer,
                opaque,
            }));
        }

        let _ = self.hits.insert(id);

        Ok(self
            .entries
            .get(&id)
            .unwrap()
            .as_ref()
            .map(|entry| {
                tiny_skia::PixmapRef::from_bytes(
                    bytemuck::cast_slice(&entry.pixels),
                    entry.width,
                    entry.height,
                )
                .expect("Build pixmap from image bytes")
            })
            .expect("Image should be allocated"))
    }

    /// Whether an allocated image has no transparent pixel.
    fn is_opaque(&self, handle: &raster::Handle) -> bool {
        matches!(self.entries.get(&handle.id()), Some(Some(entry)) if entry.opaque)
    }

    fn trim(&mut self) {
        self.entries.retain(|key, _| self.hits.contains(key));
        self.hits.clear();
    }
}

#[derive(Debug)]
struct Entry {
    width: u32,
    height: u32,
    pixels: Vec<u32>,
    opaque: bool,
}
