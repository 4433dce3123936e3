//! The bureau's seal image: a PNG decoded within limits, kept as a deflated
//! image XObject, placed centred on the seal's position.

use std::collections::BTreeMap;

use printpdf::{DictItem, Op};

use super::super::layout::{SealPlacement, PAGE_H};
use super::super::{LetterError, Result};
use super::draw::mm_pt;

/// Largest seal image accepted (either side, pixels) and file size.
pub const SEAL_MAX_PX: u32 = 2000;
pub const SEAL_MAX_BYTES: usize = 2 * 1024 * 1024;

/// Decode a seal PNG to 8-bit RGBA (transparent background kept).
pub fn decode_seal_png(png: &[u8]) -> Result<printpdf::RawImage> {
    let bad = |why: String| {
        LetterError::Content(format!(
            "印章图像无效：{why} / the seal image is not usable: {why}"
        ))
    };
    if png.len() > SEAL_MAX_BYTES {
        return Err(bad(format!("文件超过 {} MB", SEAL_MAX_BYTES / 1024 / 1024)));
    }
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder
        .read_info()
        .map_err(|e| bad(format!("不是 PNG 图像（{e}）")))?;
    let (w, h) = (reader.info().width, reader.info().height);
    if w == 0 || h == 0 || w > SEAL_MAX_PX || h > SEAL_MAX_PX {
        return Err(bad(format!("{w}×{h} 像素，应在 1–{SEAL_MAX_PX} 之间")));
    }
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| bad("图像过大".into()))?;
    let mut buf = vec![0u8; size];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| bad(format!("无法解码（{e}）")))?;
    buf.truncate(info.buffer_size());
    let px = (w as usize) * (h as usize);
    let rgba: Vec<u8> = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks_exact(3)
            .flat_map(|c| [c[0], c[1], c[2], 255])
            .collect(),
        png::ColorType::GrayscaleAlpha => buf
            .chunks_exact(2)
            .flat_map(|c| [c[0], c[0], c[0], c[1]])
            .collect(),
        png::ColorType::Grayscale => buf.iter().flat_map(|&g| [g, g, g, 255]).collect(),
        png::ColorType::Indexed => return Err(bad("调色板图像未能展开".into())),
    };
    if rgba.len() != px * 4 {
        return Err(bad("像素数据不完整".into()));
    }
    Ok(printpdf::RawImage {
        pixels: printpdf::RawImageData::U8(rgba),
        width: w as usize,
        height: h as usize,
        data_format: printpdf::RawImageFormat::RGBA8,
        tag: Vec::new(),
    })
}

/// The seal image as a PDF image XObject (colour, and its alpha as a soft
/// mask), deflated once for the writer: printpdf deflates a `RawImage`
/// again for every letter, which for a 600 × 600 seal cost more than the
/// rest of the letter.
pub(super) struct SealImage {
    pub(super) xobject: printpdf::xobject::ExternalXObject,
    pub(super) width: usize,
    pub(super) height: usize,
}

impl SealImage {
    pub(super) fn new(img: &printpdf::RawImage) -> Result<Self> {
        use printpdf::xobject::{ExternalStream, ExternalXObject};
        let printpdf::RawImageData::U8(rgba) = &img.pixels else {
            return Err(LetterError::Content(
                "印章图像格式 / seal image format".into(),
            ));
        };
        let px = img.width * img.height;
        if img.data_format != printpdf::RawImageFormat::RGBA8 || rgba.len() != px * 4 {
            return Err(LetterError::Content(
                "印章图像格式 / seal image format".into(),
            ));
        }
        let mut colour = Vec::with_capacity(px * 3);
        let mut alpha = Vec::with_capacity(px);
        for p in rgba.chunks_exact(4) {
            colour.extend_from_slice(&p[..3]);
            alpha.push(p[3]);
        }
        // once per writer, so the smallest output is worth level 9
        let deflate = |data: &[u8]| -> Result<Vec<u8>> {
            use std::io::Write;
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            z.write_all(data)
                .and_then(|()| z.finish())
                .map_err(|e| LetterError::Pdf(format!("seal image not compressed: {e}")))
        };
        let dict = |colour_space: &str| -> BTreeMap<String, DictItem> {
            [
                ("Type", DictItem::Name(b"XObject".to_vec())),
                ("Subtype", DictItem::Name(b"Image".to_vec())),
                ("Width", DictItem::Int(img.width as i64)),
                ("Height", DictItem::Int(img.height as i64)),
                ("BitsPerComponent", DictItem::Int(8)),
                (
                    "ColorSpace",
                    DictItem::Name(colour_space.as_bytes().to_vec()),
                ),
                ("Filter", DictItem::Name(b"FlateDecode".to_vec())),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
        };
        let mask = ExternalStream {
            dict: dict("DeviceGray"),
            content: deflate(&alpha)?,
            compress: false,
        };
        let mut image_dict = dict("DeviceRGB");
        image_dict.insert("SMask".into(), DictItem::Stream { stream: mask });
        Ok(SealImage {
            xobject: ExternalXObject {
                stream: ExternalStream {
                    dict: image_dict,
                    content: deflate(&colour)?,
                    compress: false,
                },
                width: Some(printpdf::Px(img.width)),
                height: Some(printpdf::Px(img.height)),
                dpi: None,
            },
            width: img.width,
            height: img.height,
        })
    }
}

/// Place the seal image centred on the seal's position, `diameter` wide.
pub(super) fn image_seal_op(id: printpdf::XObjectId, img: &SealImage, s: &SealPlacement) -> Op {
    let d = s.diameter;
    // dpi so that the image's width is exactly the seal's diameter
    let dpi = img.width as f32 / (d / 25.4);
    let height_mm = img.height as f32 / dpi * 25.4;
    Op::UseXobject {
        id,
        transform: printpdf::XObjectTransform {
            translate_x: Some(mm_pt(s.cx - d / 2.0)),
            translate_y: Some(mm_pt(PAGE_H - s.cy - height_mm / 2.0)),
            rotate: None,
            scale_x: None,
            scale_y: None,
            dpi: Some(dpi),
            no_auto_scale: false,
        },
    }
}
