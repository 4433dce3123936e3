//! The demo seal (测试样章): a red ring, a five-pointed star and text, all
//! drawn as vector paths — glyph outlines, not text — so it prints sharp,
//! weighs a few kilobytes, and never pollutes the letter's extractable text.
//!
//! It is clearly marked: “测试样章 仅供演示” along the top, “测试样章”
//! across, “TEST SEAL — NOT VALID” along the bottom. It does not carry the
//! bureau's name: a seal look-alike of a real authority invites forgery.
//! A bureau's own seal image is configured separately and appears only in
//! the signed digital letter; printing for a wet seal leaves it out.

/// One path-construction step, in millimetres relative to the seal's
/// centre, y pointing up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PathOp {
    Move(f32, f32),
    Line(f32, f32),
    Cubic(f32, f32, f32, f32, f32, f32),
    Close,
}

/// How a path is filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FillRule {
    NonZero,
    EvenOdd,
}

/// A filled shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub ops: Vec<PathOp>,
    pub rule: FillRule,
}

/// Glyph outlines: the path of `ch` in em units (y up, origin at the
/// baseline's left end) and its advance in em.
pub trait Outlines {
    fn glyph(&self, ch: char) -> Option<(Vec<PathOp>, f32)>;
}

/// Upper arc text.
pub const TOP_TEXT: &str = "测试样章 仅供演示";
/// Across the middle, under the star.
pub const MIDDLE_TEXT: &str = "测试样章";
/// Lower arc text.
pub const BOTTOM_TEXT: &str = "TEST SEAL — NOT VALID";

const K: f32 = 0.552_284_8;

fn circle(r: f32, ops: &mut Vec<PathOp>) {
    let c = r * K;
    ops.push(PathOp::Move(r, 0.0));
    ops.push(PathOp::Cubic(r, c, c, r, 0.0, r));
    ops.push(PathOp::Cubic(-c, r, -r, c, -r, 0.0));
    ops.push(PathOp::Cubic(-r, -c, -c, -r, 0.0, -r));
    ops.push(PathOp::Cubic(c, -r, r, -c, r, 0.0));
    ops.push(PathOp::Close);
}

fn star(cx: f32, cy: f32, r_out: f32) -> Vec<PathOp> {
    let r_in = r_out * 0.382;
    let mut ops = Vec::new();
    for i in 0..10 {
        let r = if i % 2 == 0 { r_out } else { r_in };
        let a = std::f32::consts::FRAC_PI_2 + i as f32 * std::f32::consts::PI / 5.0;
        let (x, y) = (cx + r * a.cos(), cy + r * a.sin());
        ops.push(if i == 0 {
            PathOp::Move(x, y)
        } else {
            PathOp::Line(x, y)
        });
    }
    ops.push(PathOp::Close);
    ops
}

/// Maps a glyph's em-space path into seal space: scaled by `size` mm/em,
/// shifted so the glyph's advance is centred on the origin, then placed at
/// `base` with its x axis along `right` and y axis along `up`.
fn place(
    path: &[PathOp],
    size: f32,
    adv: f32,
    base: (f32, f32),
    right: (f32, f32),
    up: (f32, f32),
) -> Vec<PathOp> {
    let t = |x: f32, y: f32| {
        let lx = (x - adv / 2.0) * size;
        let ly = y * size;
        (
            base.0 + lx * right.0 + ly * up.0,
            base.1 + lx * right.1 + ly * up.1,
        )
    };
    path.iter()
        .map(|op| match *op {
            PathOp::Move(x, y) => {
                let (a, b) = t(x, y);
                PathOp::Move(a, b)
            }
            PathOp::Line(x, y) => {
                let (a, b) = t(x, y);
                PathOp::Line(a, b)
            }
            PathOp::Cubic(x1, y1, x2, y2, x3, y3) => {
                let (a1, b1) = t(x1, y1);
                let (a2, b2) = t(x2, y2);
                let (a3, b3) = t(x3, y3);
                PathOp::Cubic(a1, b1, a2, b2, a3, b3)
            }
            PathOp::Close => PathOp::Close,
        })
        .collect()
}

/// Text along an arc of radius `r` (baseline), centred on angle `mid`
/// (radians); `outward`: glyph tops point away from the centre (upper arc,
/// read clockwise) or towards it (lower arc, read counter-clockwise).
#[allow(clippy::too_many_arguments)]
fn arc_text(
    text: &str,
    size: f32,
    r: f32,
    mid: f32,
    outward: bool,
    tracking: f32,
    o: &dyn Outlines,
    out: &mut Vec<PathOp>,
) {
    let glyphs: Vec<(Vec<PathOp>, f32)> = text
        .chars()
        .map(|c| o.glyph(c).unwrap_or((Vec::new(), 0.5)))
        .collect();
    let total: f32 = glyphs.iter().map(|g| (g.1 + tracking) * size).sum::<f32>() - tracking * size;
    // arc length → angle
    let span = total / r;
    let mut s = 0.0f32;
    for (path, adv) in &glyphs {
        let w = adv * size;
        let centre = s + w / 2.0;
        let theta = if outward {
            mid + span / 2.0 - centre / r
        } else {
            mid - span / 2.0 + centre / r
        };
        let (c, sn) = (theta.cos(), theta.sin());
        let (base, right, up) = if outward {
            ((r * c, r * sn), (sn, -c), (c, sn))
        } else {
            ((r * c, r * sn), (-sn, c), (-c, -sn))
        };
        out.extend(place(path, size, *adv, base, right, up));
        s += w + tracking * size;
    }
}

/// The demo seal of diameter `d` mm.
pub fn demo_seal(d: f32, o: &dyn Outlines) -> Vec<Shape> {
    let r = d / 2.0;
    let ring_w = d * 0.03;
    let mut ring = Vec::new();
    circle(r, &mut ring);
    circle(r - ring_w, &mut ring);
    let mut shapes = vec![
        Shape {
            ops: ring,
            rule: FillRule::EvenOdd,
        },
        Shape {
            ops: star(0.0, d * 0.04, d * 0.15),
            rule: FillRule::NonZero,
        },
    ];
    let mut text = Vec::new();
    let top_size = d * 0.105;
    arc_text(
        TOP_TEXT,
        top_size,
        r - ring_w - d * 0.035 - top_size * 0.88,
        std::f32::consts::FRAC_PI_2,
        true,
        0.05,
        o,
        &mut text,
    );
    let bottom_size = d * 0.065;
    arc_text(
        BOTTOM_TEXT,
        bottom_size,
        r - ring_w - d * 0.045 - bottom_size * 0.12,
        -std::f32::consts::FRAC_PI_2,
        false,
        0.02,
        o,
        &mut text,
    );
    // straight middle text under the star
    let mid_size = d * 0.09;
    let glyphs: Vec<(Vec<PathOp>, f32)> = MIDDLE_TEXT
        .chars()
        .map(|c| o.glyph(c).unwrap_or((Vec::new(), 1.0)))
        .collect();
    let total: f32 = glyphs.iter().map(|g| g.1 * mid_size).sum();
    let mut x = -total / 2.0;
    let baseline = -d * 0.2;
    for (path, adv) in &glyphs {
        let w = adv * mid_size;
        text.extend(place(
            path,
            mid_size,
            *adv,
            (x + w / 2.0, baseline),
            (1.0, 0.0),
            (0.0, 1.0),
        ));
        x += w;
    }
    shapes.push(Shape {
        ops: text,
        rule: FillRule::NonZero,
    });
    shapes
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Boxes;
    impl Outlines for Boxes {
        fn glyph(&self, ch: char) -> Option<(Vec<PathOp>, f32)> {
            let adv = if ch.is_ascii() { 0.5 } else { 1.0 };
            Some((
                vec![
                    PathOp::Move(0.1, 0.0),
                    PathOp::Line(adv - 0.1, 0.0),
                    PathOp::Line(adv - 0.1, 0.8),
                    PathOp::Close,
                ],
                adv,
            ))
        }
    }

    #[test]
    fn seal_stays_inside_its_circle() {
        let d = 42.0;
        let shapes = demo_seal(d, &Boxes);
        assert_eq!(shapes.len(), 3);
        // (the ring's Bézier control points lie outside it by design)
        for s in shapes.iter().skip(1) {
            for op in &s.ops {
                let pts: Vec<(f32, f32)> = match *op {
                    PathOp::Move(x, y) | PathOp::Line(x, y) => vec![(x, y)],
                    PathOp::Cubic(a, b, c, e, f, g) => vec![(a, b), (c, e), (f, g)],
                    PathOp::Close => vec![],
                };
                for (x, y) in pts {
                    assert!((x * x + y * y).sqrt() <= d / 2.0 + 0.01, "({x},{y})");
                }
            }
        }
    }
}
