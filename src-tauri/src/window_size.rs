//! The main window's size: opened at the size it had when it was last
//! closed (kept beside the store as `window.json`), else the configured
//! one, and never larger than the screen it opens on (a 1024×768 laptop or
//! projector gets a window that fits, not one that runs off the edge).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tauri::{LogicalPosition, LogicalSize, WebviewWindow};

/// A window size in logical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Size {
    pub width: f64,
    pub height: f64,
}

/// The size to open at: the remembered one (else the configured one), no
/// larger than the screen's logical size less room for panels, no smaller
/// than the window's minimum.
pub fn fitted(remembered: Option<Size>, configured: Size, screen: Option<Size>, min: Size) -> Size {
    let want = remembered.unwrap_or(configured);
    let (mut w, mut h) = (want.width, want.height);
    if let Some(s) = screen {
        // leave room for a taskbar or a top panel
        w = w.min(s.width);
        h = h.min(s.height - 40.0);
    }
    Size {
        width: w.max(min.width.min(screen.map_or(min.width, |s| s.width))),
        height: h.max(min.height.min(screen.map_or(min.height, |s| s.height))),
    }
}

fn file(db_path: &Path) -> PathBuf {
    db_path.with_file_name("window.json")
}

/// The size remembered beside the store; none when there is none or it is
/// not one (a damaged file is ignored: the configured size is used).
fn remembered(db_path: &Path) -> Option<Size> {
    let text = std::fs::read_to_string(file(db_path)).ok()?;
    let s: Size = serde_json::from_str(&text).ok()?;
    (s.width.is_finite() && s.height.is_finite() && s.width > 0.0 && s.height > 0.0).then_some(s)
}

/// Where a window of `size` sits centred on a screen of `screen` whose
/// top-left corner is at `origin` (logical pixels; never left of or above
/// the screen's corner when the window is as large as the screen).
pub fn centred(origin: (f64, f64), screen: Size, size: Size) -> (f64, f64) {
    (
        origin.0 + ((screen.width - size.width) / 2.0).max(0.0),
        origin.1 + ((screen.height - size.height) / 2.0).max(0.0),
    )
}

/// Size `window` to fit its screen (and the remembered size), centred.
/// The position is computed from the size just set, not asked of the
/// window: before it is mapped the window reports no size yet, so
/// `center()` put its top-left corner at the middle of the screen (seen
/// under Xvfb with the installed .deb: half the window off the screen).
pub fn open_fitted(window: &WebviewWindow, db_path: &Path, configured: Size, min: Size) {
    let monitor = window.current_monitor().ok().flatten();
    let screen = monitor.as_ref().map(|m| {
        let scale = m.scale_factor();
        let s = m.size().to_logical::<f64>(scale);
        let o = m.position().to_logical::<f64>(scale);
        (
            (o.x, o.y),
            Size {
                width: s.width,
                height: s.height,
            },
        )
    });
    let size = fitted(remembered(db_path), configured, screen.map(|s| s.1), min);
    if window
        .set_size(LogicalSize::new(size.width, size.height))
        .is_ok()
    {
        if let Some((origin, screen)) = screen {
            let (x, y) = centred(origin, screen, size);
            let _ = window.set_position(LogicalPosition::new(x, y));
        }
    }
}

/// Remember `window`'s size for the next start (best effort: a size that
/// cannot be written is not worth an error at closing).
pub fn remember(window: &tauri::Window, db_path: &Path) {
    let (Ok(size), Ok(scale)) = (window.inner_size(), window.scale_factor()) else {
        return;
    };
    let s = size.to_logical::<f64>(scale);
    let json = serde_json::json!({ "width": s.width, "height": s.height }).to_string();
    let _ = reviewdesk_engine::store::write_atomic(&file(db_path), json.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIGURED: Size = Size {
        width: 1280.0,
        height: 800.0,
    };
    const MIN: Size = Size {
        width: 960.0,
        height: 600.0,
    };

    #[test]
    fn a_small_screen_gets_a_window_that_fits() {
        let screen = Some(Size {
            width: 1024.0,
            height: 768.0,
        });
        assert_eq!(
            fitted(None, CONFIGURED, screen, MIN),
            Size {
                width: 1024.0,
                height: 728.0
            }
        );
        // a large screen keeps the configured size
        let big = Some(Size {
            width: 1920.0,
            height: 1080.0,
        });
        assert_eq!(fitted(None, CONFIGURED, big, MIN), CONFIGURED);
    }

    #[test]
    fn the_remembered_size_comes_back_within_the_screen_and_the_minimum() {
        let big = Some(Size {
            width: 1920.0,
            height: 1080.0,
        });
        let kept = Size {
            width: 1500.0,
            height: 950.0,
        };
        assert_eq!(fitted(Some(kept), CONFIGURED, big, MIN), kept);
        let tiny = Size {
            width: 300.0,
            height: 200.0,
        };
        assert_eq!(fitted(Some(tiny), CONFIGURED, big, MIN), MIN);
        // remembered on a big screen, opened on a small one
        let small = Some(Size {
            width: 1024.0,
            height: 768.0,
        });
        assert_eq!(
            fitted(Some(kept), CONFIGURED, small, MIN),
            Size {
                width: 1024.0,
                height: 728.0
            }
        );
    }

    #[test]
    fn the_window_is_centred_on_its_screen_and_never_off_its_corner() {
        let screen = Size {
            width: 1280.0,
            height: 800.0,
        };
        let size = Size {
            width: 1280.0,
            height: 760.0,
        };
        // the whole width: at the screen's left edge, 20 px from the top
        assert_eq!(centred((0.0, 0.0), screen, size), (0.0, 20.0));
        let small = Size {
            width: 960.0,
            height: 600.0,
        };
        assert_eq!(centred((0.0, 0.0), screen, small), (160.0, 100.0));
        // a second monitor to the right
        assert_eq!(centred((1920.0, 0.0), screen, small), (2080.0, 100.0));
        // larger than the screen: pinned to its corner, not pushed off it
        let big = Size {
            width: 1500.0,
            height: 900.0,
        };
        assert_eq!(centred((0.0, 0.0), screen, big), (0.0, 0.0));
    }

    #[test]
    fn a_remembered_size_is_read_back_and_a_damaged_file_ignored() {
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("reviewdesk.db");
        assert_eq!(remembered(&db), None);
        std::fs::write(file(&db), "{\"width\": 1100, \"height\": 700}").expect("write");
        assert_eq!(
            remembered(&db),
            Some(Size {
                width: 1100.0,
                height: 700.0
            })
        );
        std::fs::write(file(&db), "not json").expect("write");
        assert_eq!(remembered(&db), None);
    }
}
