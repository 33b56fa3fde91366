//! The page's LZMA decoder, compiled to a small wasm module of its own (no_std, no allocator).
//!
//! The build stores the page's core wasm LZMA-compressed (`xz --format=lzma`): gzipped, that is
//! ~20% less than the wasm itself gzipped. This decoder unpacks it in the browser before the core
//! is compiled: synchronously (an asynchronous `DecompressionStream` lets the browser paint the
//! empty page first) and in wasm rather than JS (a JS decoder took 50-90 ms on its first run,
//! while the JIT caught up; wasm runs compiled from the first byte). See `lzmaModule` in
//! scripts/build.mjs and `www/unlzma.js`.
//!
//! It follows the LZMA specification's reference decoder (LzmaSpec.cpp in Igor Pavlov's LZMA
//! SDK, public domain): LZMA1 in the ".lzma" container (13-byte header: properties, dictionary
//! size, uncompressed size or all ones, then an end marker ends the data).

#![cfg_attr(target_arch = "wasm32", no_std)]

const NUM_STATES: usize = 12;
const POS_STATES: usize = 16; // 1 << kNumPosBitsMax
const END_POS_MODEL: u32 = 14;
const FULL_DISTANCES: usize = 128;
const ALIGN_BITS: u32 = 4;
const LEN_STATES: u32 = 4; // distance slots by match length

// Offsets of the probability tables in one array.
const IS_MATCH: usize = 0;
const IS_REP: usize = IS_MATCH + NUM_STATES * POS_STATES;
const IS_REP_G0: usize = IS_REP + NUM_STATES;
const IS_REP_G1: usize = IS_REP_G0 + NUM_STATES;
const IS_REP_G2: usize = IS_REP_G1 + NUM_STATES;
const IS_REP0_LONG: usize = IS_REP_G2 + NUM_STATES;
const POS_SLOT: usize = IS_REP0_LONG + NUM_STATES * POS_STATES;
const SPEC_POS: usize = POS_SLOT + ((LEN_STATES as usize) << 6);
const ALIGN: usize = SPEC_POS + FULL_DISTANCES - END_POS_MODEL as usize;
// A length coder: choice, choice2, low[16][8], mid[16][8], high[256].
const LEN_CHOICE2: usize = 1;
const LEN_LOW: usize = 2;
const LEN_MID: usize = LEN_LOW + (POS_STATES << 3);
const LEN_HIGH: usize = LEN_MID + (POS_STATES << 3);
const LEN_CODER: usize = LEN_HIGH + 256;
const LEN: usize = ALIGN + (1 << ALIGN_BITS);
const REP_LEN: usize = LEN + LEN_CODER;
const LITERAL: usize = REP_LEN + LEN_CODER;

const HEADER: usize = 13;

/// Why the data could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum Error {
    /// Shorter than the header and the range coder's first bytes, or ends mid-stream.
    Truncated = -1,
    /// Properties out of range (lc > 8, lp > 4, pb > 4).
    BadProperties = -2,
    /// Not a valid LZMA stream (e.g. a distance before the start of the data).
    Corrupt = -3,
    /// More output than the buffer given (or than the header says).
    TooLong = -4,
    /// The probability buffer is too small for the properties (see [`probs_needed`]).
    SmallProbs = -5,
}

/// How many 16-bit probabilities a stream with properties byte `props` needs, if valid.
pub fn probs_needed(props: u8) -> Option<usize> {
    let (lc, lp, _) = properties(props)?;
    Some(LITERAL + (0x300 << (lc + lp)))
}

fn properties(props: u8) -> Option<(u32, u32, u32)> {
    let d = props as u32;
    if d >= 9 * 5 * 5 {
        return None;
    }
    Some((d % 9, (d / 9) % 5, d / 45))
}

struct RangeDecoder<'a> {
    src: &'a [u8],
    pos: usize,
    range: u32,
    code: u32,
    /// Set when a byte past the end was needed (then read as 0; checked after each symbol).
    overrun: bool,
}

impl RangeDecoder<'_> {
    #[inline(always)]
    fn normalize(&mut self) {
        if self.range < 1 << 24 {
            self.range <<= 8;
            let byte = match self.src.get(self.pos) {
                Some(&b) => b,
                None => {
                    self.overrun = true;
                    0
                }
            };
            self.pos += 1;
            self.code = (self.code << 8) | byte as u32;
        }
    }

    #[inline(always)]
    fn bit(&mut self, p: &mut u16) -> u32 {
        let bound = (self.range >> 11) * *p as u32;
        let b = if self.code < bound {
            self.range = bound;
            *p += (2048 - *p) >> 5;
            0
        } else {
            self.range -= bound;
            self.code -= bound;
            *p -= *p >> 5;
            1
        };
        self.normalize();
        b
    }

    // Bit trees and lengths are calls (one copy of `bit` each): 25% less wasm and no slower in
    // Chromium than all inlined; `bit` itself out of line was ~30% slower.
    #[inline(never)]
    fn tree(&mut self, probs: &mut [u16], bits: u32) -> u32 {
        let mut m = 1usize;
        for _ in 0..bits {
            m = (m << 1) | self.bit(&mut probs[m]) as usize;
        }
        m as u32 - (1 << bits)
    }

    #[inline(never)]
    fn reverse(&mut self, probs: &mut [u16], bits: u32) -> u32 {
        let mut m = 1usize;
        let mut sym = 0;
        for i in 0..bits {
            let b = self.bit(&mut probs[m]);
            m = (m << 1) | b as usize;
            sym |= b << i;
        }
        sym
    }

    fn direct(&mut self, bits: u32) -> u32 {
        let mut res = 0u32;
        for _ in 0..bits {
            self.range >>= 1;
            let b = (self.code >= self.range) as u32;
            if b != 0 {
                self.code -= self.range;
            }
            self.normalize();
            res = (res << 1) | b;
        }
        res
    }

    /// A match length less 2 (0..=271) from the length coder at `probs`.
    #[inline(never)]
    fn length(&mut self, probs: &mut [u16], pos_state: usize) -> u32 {
        if self.bit(&mut probs[0]) == 0 {
            return self.tree(&mut probs[LEN_LOW + (pos_state << 3)..], 3);
        }
        if self.bit(&mut probs[LEN_CHOICE2]) == 0 {
            return 8 + self.tree(&mut probs[LEN_MID + (pos_state << 3)..], 3);
        }
        16 + self.tree(&mut probs[LEN_HIGH..], 8)
    }
}

/// Decode the .lzma stream `src` into `out`; returns the number of bytes written. `probs` needs
/// [`probs_needed`]`(src[0])` entries (their values do not matter).
pub fn decode(src: &[u8], out: &mut [u8], probs: &mut [u16]) -> Result<usize, Error> {
    if src.len() < HEADER + 5 {
        return Err(Error::Truncated);
    }
    let (lc, lp, pb) = properties(src[0]).ok_or(Error::BadProperties)?;
    let needed = LITERAL + (0x300 << (lc + lp));
    let probs = probs.get_mut(..needed).ok_or(Error::SmallProbs)?;
    probs.fill(1024);
    // The uncompressed size (little-endian), all ones when unknown.
    let size = u64::from_le_bytes(src[5..HEADER].try_into().unwrap());
    let limit = if size == u64::MAX {
        out.len()
    } else if size > out.len() as u64 {
        return Err(Error::TooLong);
    } else {
        size as usize
    };
    if src[HEADER] != 0 {
        return Err(Error::Corrupt);
    }
    let mut rc = RangeDecoder {
        src,
        pos: HEADER + 5,
        range: u32::MAX,
        code: u32::from_be_bytes(src[HEADER + 1..HEADER + 5].try_into().unwrap()),
        overrun: false,
    };
    if rc.code == rc.range {
        return Err(Error::Corrupt);
    }

    let pb_mask = (1usize << pb) - 1;
    let lp_mask = (1usize << lp) - 1;
    let mut state = 0usize;
    let mut reps = [0usize; 4];
    let mut pos = 0usize;
    loop {
        if rc.overrun {
            return Err(Error::Truncated);
        }
        if pos == limit && size != u64::MAX {
            break; // (an end marker may follow; it is not read)
        }
        let pos_state = pos & pb_mask;
        if rc.bit(&mut probs[IS_MATCH + (state << 4) + pos_state]) == 0 {
            // A literal, coded in the context of the previous byte (and, after a match, of the
            // byte at the last distance).
            if pos >= limit {
                return Err(Error::TooLong);
            }
            let prev = if pos > 0 { out[pos - 1] as usize } else { 0 };
            let base = LITERAL + 0x300 * (((pos & lp_mask) << lc) + (prev >> (8 - lc)));
            let lit = &mut probs[base..base + 0x300];
            let mut sym = 1usize;
            if state >= 7 {
                let mut matched = out[pos - reps[0] - 1] as usize;
                while sym < 0x100 {
                    let match_bit = (matched >> 7) & 1;
                    matched <<= 1;
                    let b = rc.bit(&mut lit[((1 + match_bit) << 8) + sym]) as usize;
                    sym = (sym << 1) | b;
                    if match_bit != b {
                        break;
                    }
                }
            }
            while sym < 0x100 {
                sym = (sym << 1) | rc.bit(&mut lit[sym]) as usize;
            }
            out[pos] = (sym - 0x100) as u8;
            pos += 1;
            state = if state < 4 {
                0
            } else if state < 10 {
                state - 3
            } else {
                state - 6
            };
            continue;
        }

        let len;
        if rc.bit(&mut probs[IS_REP + state]) != 0 {
            // A match at one of the last four distances.
            if pos == 0 {
                return Err(Error::Corrupt);
            }
            if rc.bit(&mut probs[IS_REP_G0 + state]) == 0 {
                if rc.bit(&mut probs[IS_REP0_LONG + (state << 4) + pos_state]) == 0 {
                    // One byte at the last distance.
                    if pos >= limit {
                        return Err(Error::TooLong);
                    }
                    state = if state < 7 { 9 } else { 11 };
                    out[pos] = out[pos - reps[0] - 1];
                    pos += 1;
                    continue;
                }
            } else {
                let dist;
                if rc.bit(&mut probs[IS_REP_G1 + state]) == 0 {
                    dist = reps[1];
                } else {
                    if rc.bit(&mut probs[IS_REP_G2 + state]) == 0 {
                        dist = reps[2];
                    } else {
                        dist = reps[3];
                        reps[3] = reps[2];
                    }
                    reps[2] = reps[1];
                }
                reps[1] = reps[0];
                reps[0] = dist;
            }
            len = rc.length(&mut probs[REP_LEN..REP_LEN + LEN_CODER], pos_state);
            state = if state < 7 { 8 } else { 11 };
        } else {
            reps[3] = reps[2];
            reps[2] = reps[1];
            reps[1] = reps[0];
            len = rc.length(&mut probs[LEN..LEN + LEN_CODER], pos_state);
            state = if state < 7 { 7 } else { 10 };
            // The distance: a 6-bit slot (by the length), then the slot's extra bits.
            let len_state = len.min(LEN_STATES - 1) as usize;
            let slot = rc.tree(&mut probs[POS_SLOT + (len_state << 6)..], 6);
            let dist = if slot < 4 {
                slot
            } else {
                let bits = (slot >> 1) - 1;
                let mut dist = (2 | (slot & 1)) << bits;
                if slot < END_POS_MODEL {
                    let at = SPEC_POS + dist as usize - slot as usize;
                    dist += rc.reverse(&mut probs[at..], bits);
                } else {
                    dist += rc.direct(bits - ALIGN_BITS) << ALIGN_BITS;
                    dist += rc.reverse(&mut probs[ALIGN..], ALIGN_BITS);
                }
                dist
            };
            if dist == u32::MAX {
                // The end marker.
                if rc.overrun || rc.code != 0 || (size != u64::MAX && pos as u64 != size) {
                    return Err(Error::Corrupt);
                }
                return Ok(pos);
            }
            reps[0] = dist as usize;
            if reps[0] >= pos {
                return Err(Error::Corrupt);
            }
        }
        let len = len as usize + 2;
        if len > limit - pos {
            return Err(Error::TooLong);
        }
        let from = pos - reps[0] - 1;
        if reps[0] == 0 {
            let byte = out[from];
            out[pos..pos + len].fill(byte);
        } else {
            for i in 0..len {
                out[pos + i] = out[from + i];
            }
        }
        pos += len;
    }
    if rc.overrun {
        return Err(Error::Truncated);
    }
    Ok(pos)
}

/// The wasm export: decode `src_len` bytes at `src` into the `out_len` bytes at `out`, with
/// `probs_len` probabilities at `probs` (see [`probs_needed`]; [`unlzma_probs`] gives it).
/// Returns the output length, or a negative [`Error`] code.
///
/// # Safety
/// The three buffers must be valid, distinct and in this module's memory.
#[cfg(target_arch = "wasm32")]
#[no_mangle]
pub unsafe extern "C" fn unlzma(
    src: *const u8,
    src_len: usize,
    out: *mut u8,
    out_len: usize,
    probs: *mut u16,
    probs_len: usize,
) -> i32 {
    let src = core::slice::from_raw_parts(src, src_len);
    let out = core::slice::from_raw_parts_mut(out, out_len);
    let probs = core::slice::from_raw_parts_mut(probs, probs_len);
    match decode(src, out, probs) {
        Ok(n) => n as i32,
        Err(e) => e as i32,
    }
}

/// The wasm export: [`probs_needed`] for a properties byte, or -2 (bad properties).
#[cfg(target_arch = "wasm32")]
#[no_mangle]
pub extern "C" fn unlzma_probs(props: u32) -> i32 {
    match probs_needed(props as u8) {
        Some(n) if props < 256 => n as i32,
        _ => Error::BadProperties as i32,
    }
}

#[cfg(all(target_arch = "wasm32", not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
