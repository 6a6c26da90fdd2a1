//! Removes what a camera or an editor wrote into a picture besides the picture: EXIF (with its
//! GPS position, camera serial, date taken), XMP, IPTC and comments, from JPEG, PNG and WebP,
//! without re-encoding a pixel. What changes how the picture looks stays: a JPEG's JFIF, ICC
//! profile and Adobe colour segments, a PNG's colour chunks, and the EXIF orientation, which
//! is written back as a minimal EXIF block holding only it.

/// The picture without its metadata, or `None` when it has none to remove (or is not a
/// JPEG, PNG or WebP this reads to the end: it is then published as it is).
pub fn strip(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        strip_jpeg(bytes)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        strip_png(bytes)
    } else if bytes.len() >= 12
        && bytes.starts_with(b"RIFF")
        && bytes.get(8..12) == Some(b"WEBP".as_slice())
    {
        strip_webp(bytes)
    } else {
        None
    }
}

/// Whether the picture carries EXIF, XMP, IPTC or comments.
pub fn has_metadata(bytes: &[u8]) -> bool {
    strip(bytes).is_some()
}

const EXIF_HEADER: &[u8] = b"Exif\0\0";

fn strip_jpeg(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    let mut at = 2;
    let mut removed = false;
    let mut orientation = None;
    loop {
        // Fill bytes (0xFF) may precede a marker.
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let (&ff, &marker) = (bytes.get(at)?, bytes.get(at + 1)?);
        if ff != 0xFF {
            return None;
        }
        // Start of scan: the entropy-coded data and everything after it is kept as it is.
        if marker == 0xDA {
            if !removed {
                return None;
            }
            if let Some(o) = orientation.filter(|o| *o != 1) {
                // Right after SOI and an APP0 if there is one: where readers look for EXIF.
                let after = if out.get(2..4) == Some([0xFF, 0xE0].as_slice()) {
                    let len = usize::from(u16::from_be_bytes([out[4], out[5]]));
                    4 + len
                } else {
                    2
                };
                let segment = orientation_app1(o);
                out.splice(after..after, segment);
            }
            out.extend_from_slice(&bytes[at..]);
            return Some(out);
        }
        // Markers without a length.
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            out.extend_from_slice(&bytes[at..at + 2]);
            at += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([
            *bytes.get(at + 2)?,
            *bytes.get(at + 3)?,
        ]));
        let end = at.checked_add(2)?.checked_add(len)?;
        let segment = bytes.get(at..end)?;
        let data = segment.get(4..)?;
        let is_metadata = match marker {
            0xE1 => {
                if data.starts_with(EXIF_HEADER) {
                    orientation = orientation.or_else(|| exif_orientation(&data[6..]));
                }
                true // EXIF or XMP
            }
            0xED | 0xFE => true, // IPTC (Photoshop) and comments
            _ => false,
        };
        if is_metadata {
            removed = true;
        } else {
            out.extend_from_slice(segment);
        }
        at = end;
    }
}

/// An APP1 segment with a TIFF header and one IFD entry: Orientation (0x0112) = `o`.
fn orientation_app1(o: u16) -> Vec<u8> {
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"MM\0\x2a\0\0\0\x08"); // big-endian, IFD0 at offset 8
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes());
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes()); // count
    tiff.extend_from_slice(&o.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]); // padding of the 4-byte value field
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    let len = (2 + EXIF_HEADER.len() + tiff.len()) as u16;
    let mut seg = vec![0xFF, 0xE1];
    seg.extend_from_slice(&len.to_be_bytes());
    seg.extend_from_slice(EXIF_HEADER);
    seg.extend_from_slice(&tiff);
    seg
}

/// The Orientation tag of a TIFF block (EXIF after its `Exif\0\0`), if it has one.
fn exif_orientation(tiff: &[u8]) -> Option<u16> {
    let big = match tiff.get(0..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |i: usize| -> Option<u16> {
        let b = [*tiff.get(i)?, *tiff.get(i + 1)?];
        Some(if big {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    };
    let u32_at = |i: usize| -> Option<u32> {
        let b = [
            *tiff.get(i)?,
            *tiff.get(i + 1)?,
            *tiff.get(i + 2)?,
            *tiff.get(i + 3)?,
        ];
        Some(if big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    };
    let ifd = usize::try_from(u32_at(4)?).ok()?;
    let count = usize::from(u16_at(ifd)?);
    (0..count.min(512)).find_map(|n| {
        let entry = ifd + 2 + n * 12;
        (u16_at(entry)? == 0x0112).then(|| u16_at(entry + 8))?
    })
}

fn strip_png(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..8]);
    let mut at = 8;
    let mut removed = false;
    while at < bytes.len() {
        let len = u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?);
        let end = at
            .checked_add(12)?
            .checked_add(usize::try_from(len).ok()?)?;
        let chunk = bytes.get(at..end)?;
        let kind = &chunk[4..8];
        if matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME") {
            removed = true;
        } else {
            out.extend_from_slice(chunk);
        }
        at = end;
        if kind == b"IEND" {
            break;
        }
    }
    removed.then_some(out)
}

fn strip_webp(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..12]);
    let mut at = 12;
    let mut removed = false;
    let mut vp8x = None;
    while at < bytes.len() {
        let len = usize::try_from(u32::from_le_bytes(
            bytes.get(at + 4..at + 8)?.try_into().ok()?,
        ))
        .ok()?;
        let end = at
            .checked_add(8)?
            .checked_add(len + (len & 1))?
            .min(bytes.len());
        let chunk = bytes.get(at..end)?;
        match &chunk[..4] {
            b"EXIF" | b"XMP " => removed = true,
            kind => {
                if kind == b"VP8X" {
                    vp8x = Some(out.len());
                }
                out.extend_from_slice(chunk);
            }
        }
        at = end;
    }
    if !removed {
        return None;
    }
    if let Some(flags) = vp8x.map(|v| v + 8) {
        // Clear the EXIF (0x08) and XMP (0x04) flags.
        *out.get_mut(flags)? &= !0x0C;
    }
    let size = u32::try_from(out.len() - 8).ok()?;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A little-endian EXIF block with Orientation and a GPS IFD pointer.
    fn exif(orientation: u16) -> Vec<u8> {
        let mut t = b"II\x2a\0\x08\0\0\0".to_vec();
        t.extend_from_slice(&2u16.to_le_bytes());
        t.extend_from_slice(&0x0112u16.to_le_bytes());
        t.extend_from_slice(&3u16.to_le_bytes());
        t.extend_from_slice(&1u32.to_le_bytes());
        t.extend_from_slice(&u32::from(orientation).to_le_bytes());
        t.extend_from_slice(&0x8825u16.to_le_bytes()); // GPSInfo
        t.extend_from_slice(&4u16.to_le_bytes());
        t.extend_from_slice(&1u32.to_le_bytes());
        t.extend_from_slice(&0u32.to_le_bytes());
        t.extend_from_slice(&0u32.to_le_bytes());
        let mut d = EXIF_HEADER.to_vec();
        d.extend_from_slice(&t);
        d
    }

    fn segment(marker: u8, data: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((data.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(data);
        s
    }

    fn jpeg(segments: &[Vec<u8>]) -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        for s in segments {
            j.extend_from_slice(s);
        }
        j.extend_from_slice(&[0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9]);
        j
    }

    #[test]
    fn jpeg_loses_exif_xmp_and_comments_but_keeps_jfif_and_icc() {
        let jfif = segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        let icc = segment(0xE2, b"ICC_PROFILE\0\x01\x01abc");
        let j = jpeg(&[
            jfif.clone(),
            segment(0xE1, &exif(1)),
            segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x/>"),
            icc.clone(),
            segment(0xFE, b"taken at 22.41N"),
        ]);
        let out = strip(&j).unwrap();
        assert_eq!(out, jpeg(&[jfif, icc]));
        assert_eq!(strip(&out), None, "nothing left to strip");
    }

    #[test]
    fn a_rotated_jpeg_keeps_only_its_orientation() {
        let jfif = segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        let out = strip(&jpeg(&[jfif.clone(), segment(0xE1, &exif(6))])).unwrap();
        assert_eq!(out, jpeg(&[jfif, orientation_app1(6)]));
        assert_eq!(exif_orientation(&orientation_app1(6)[10..]), Some(6));
    }

    #[test]
    fn png_loses_its_text_and_exif_chunks() {
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            c.extend_from_slice(&[0, 0, 0, 0]);
            c
        };
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let ihdr = chunk(b"IHDR", &[0; 13]);
        let iend = chunk(b"IEND", &[]);
        for c in [
            &ihdr,
            &chunk(b"eXIf", &exif(1)[6..]),
            &chunk(b"tEXt", b"GPS\0x"),
            &iend,
        ] {
            png.extend_from_slice(c);
        }
        let mut want = b"\x89PNG\r\n\x1a\n".to_vec();
        want.extend_from_slice(&ihdr);
        want.extend_from_slice(&iend);
        assert_eq!(strip(&png).unwrap(), want);
    }

    #[test]
    fn truncated_or_foreign_bytes_are_left_alone() {
        assert_eq!(strip(b"GIF89a"), None);
        assert_eq!(strip(&[0xFF, 0xD8, 0xFF, 0xE1, 0xFF]), None);
        let j = jpeg(&[segment(0xE1, &exif(1))]);
        assert_eq!(strip(&j[..10]), None);
    }
}
