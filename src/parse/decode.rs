//! Bytes to text, one rule for every source (a file, standard input): what the bytes are (text,
//! a spreadsheet, something else) from their first bytes, and text decoded by its byte order
//! mark (UTF-8, UTF-16 LE or BE), else as UTF-8 when it is valid, else as Windows-1252 (the
//! Latin-1 superset spreadsheet programs write), which never fails. Binary input (NUL bytes, or
//! mostly control characters, without a UTF-16 pattern) is refused with a clear error.

use crate::diag::InputError;

/// What the first bytes say a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// Text (decoded with [`decode`]).
    Text,
    /// A zip archive: an .xlsx or .ods spreadsheet (or another zip).
    Zip,
    /// An OLE compound file: an Excel 97–2003 .xls (or another Office 97 file).
    Ole,
    /// Neither text nor a spreadsheet.
    Binary,
}

/// How text was decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    /// Not valid UTF-8: each byte as Windows-1252.
    Windows1252,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16 (little-endian)",
            Encoding::Utf16Be => "UTF-16 (big-endian)",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Bytes looked at to tell text from binary: the first 64 KiB.
pub const SNIFF_BYTES: usize = 64 << 10;

/// What `head` (the first [`SNIFF_BYTES`] or fewer) says the input is.
pub fn sniff(head: &[u8]) -> Sniffed {
    if head.starts_with(b"PK\x03\x04") {
        return Sniffed::Zip;
    }
    if head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Sniffed::Ole;
    }
    if utf16(head).is_some() {
        return Sniffed::Text;
    }
    let head = &head[..head.len().min(SNIFF_BYTES)];
    if head.contains(&0) {
        return Sniffed::Binary;
    }
    // Control characters other than tab, line ends, form feed and escape: binary when they
    // are more than a tenth of the bytes.
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    if controls * 10 > head.len() {
        return Sniffed::Binary;
    }
    Sniffed::Text
}

/// UTF-16 by its byte order mark, or without one by its pattern of NUL bytes (ASCII text in
/// UTF-16 has a NUL in every other byte).
fn utf16(b: &[u8]) -> Option<Encoding> {
    if b.starts_with(&[0xFF, 0xFE]) {
        return Some(Encoding::Utf16Le);
    }
    if b.starts_with(&[0xFE, 0xFF]) {
        return Some(Encoding::Utf16Be);
    }
    let b = &b[..b.len().min(SNIFF_BYTES) & !1];
    if b.len() < 8 {
        return None;
    }
    let half = b.len() / 2;
    let (mut even, mut odd) = (0, 0);
    for pair in b.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    if odd * 10 >= half * 7 && even * 20 <= half {
        Some(Encoding::Utf16Le)
    } else if even * 10 >= half * 7 && odd * 20 <= half {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// The text of `bytes`, and how it was decoded; a UTF-8 byte order mark is dropped (the parser
/// drops one too). Binary input is an error naming `name`.
pub fn decode(bytes: Vec<u8>, name: &str) -> Result<(String, Encoding), InputError> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    match sniff(head) {
        Sniffed::Text => {}
        Sniffed::Zip | Sniffed::Ole => {
            return Err(InputError {
                message: format!(
                    "{name} is a spreadsheet file, not text: open it as .xlsx (or save it as CSV)"
                ),
            })
        }
        Sniffed::Binary => {
            return Err(InputError {
                message: format!(
                    "{name} is not text (it has NUL bytes or control characters near its start): expected CSV or tab-separated text, or an .xlsx or .ods spreadsheet"
                ),
            })
        }
    }
    if let Some(enc) = utf16(head) {
        let bom = matches!(bytes.get(..2), Some([0xFF, 0xFE] | [0xFE, 0xFF]));
        let body = if bom { &bytes[2..] } else { &bytes[..] };
        let units = body.chunks(2).map(|p| match (enc, p) {
            (Encoding::Utf16Le, [a, b]) => u16::from_le_bytes([*a, *b]),
            (_, [a, b]) => u16::from_be_bytes([*a, *b]),
            // An odd last byte: not a whole character.
            _ => 0xFFFD,
        });
        let text: String = char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        let text = text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text);
        return Ok((text, enc));
    }
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(s) => Ok((s, Encoding::Utf8)),
        Err(e) => Ok((
            e.as_bytes().iter().map(|&b| windows_1252(b)).collect(),
            Encoding::Windows1252,
        )),
    }
}

/// One byte of Windows-1252 (the five bytes it leaves undefined as the C1 controls, as the
/// WHATWG encoding standard does).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(b: &[u8]) -> Result<(String, Encoding), InputError> {
        decode(b.to_vec(), "x")
    }

    #[test]
    fn byte_order_marks_and_encodings() {
        assert_eq!(
            d(b"\xEF\xBB\xBFid,m\n").unwrap(),
            ("id,m\n".into(), Encoding::Utf8)
        );
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("id\té\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(d(&le).unwrap(), ("id\té\n".into(), Encoding::Utf16Le));
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("id\té\n".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(d(&be).unwrap(), ("id\té\n".into(), Encoding::Utf16Be));
        // Without a mark, by its NULs.
        let bare: Vec<u8> = "id,month,alsfrs_r\nP,0,40\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(d(&bare).unwrap().1, Encoding::Utf16Le);
        // Not UTF-8: Windows-1252 (smart quotes, euro, é).
        assert_eq!(
            d(b"id,note\nP,\x93ok\x94 \x80 caf\xe9\n").unwrap(),
            ("id,note\nP,“ok” € café\n".into(), Encoding::Windows1252)
        );
    }

    #[test]
    fn binary_is_refused() {
        for b in [&[0u8; 1000][..], b"id,m\n\x00\x01\x02", &[7u8; 100]] {
            let e = d(b).unwrap_err();
            assert!(e.message.contains("is not text"), "{}", e.message);
        }
        assert_eq!(sniff(b"PK\x03\x04rest"), Sniffed::Zip);
        assert_eq!(sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), Sniffed::Ole);
        assert_eq!(sniff(b"id,month\n"), Sniffed::Text);
        assert_eq!(sniff(b""), Sniffed::Text);
    }
}
