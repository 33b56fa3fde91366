//! The decoder against xz's own library (liblzma): streams it makes, decoded here, must give back
//! the data; broken streams must give an error, never a panic or a wrong length.

use liblzma::stream::{LzmaOptions, Stream};
use proptest::prelude::*;
use std::io::Write;
use unlzma::{decode, probs_needed, Error};

/// `data` as liblzma's .lzma encoder writes it (`xz --format=lzma`: size unknown, end marker).
/// liblzma takes lc + lp ≤ 4.
fn compress(data: &[u8], preset: u32, lc: u32, lp: u32, pb: u32) -> Vec<u8> {
    let mut options = LzmaOptions::new_preset(preset).unwrap();
    options
        .literal_context_bits(lc)
        .literal_position_bits(lp)
        .position_bits(pb);
    let stream = Stream::new_lzma_encoder(&options).unwrap();
    let mut w = liblzma::write::XzEncoder::new_stream(Vec::new(), stream);
    w.write_all(data).unwrap();
    w.finish().unwrap()
}

/// The same stream with the uncompressed size in its header (as other encoders write it).
fn with_size(mut packed: Vec<u8>, size: usize) -> Vec<u8> {
    packed[5..13].copy_from_slice(&(size as u64).to_le_bytes());
    packed
}

fn unpack(packed: &[u8], capacity: usize) -> Result<Vec<u8>, Error> {
    let mut out = vec![0u8; capacity];
    let mut probs = vec![0u16; probs_needed(packed[0]).ok_or(Error::BadProperties)?];
    let n = decode(packed, &mut out, &mut probs)?;
    out.truncate(n);
    Ok(out)
}

/// Text with repeats near and far, runs longer than the longest match (273), and noise.
fn sample(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    let mut rand = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let words = [
        "ALSFRS-R",
        "patient",
        "\t",
        "\n",
        "2024-03-",
        "injection",
        "0",
        "1",
        "44",
        "month",
    ];
    let mut v = Vec::with_capacity(n + 16);
    while v.len() < n {
        match rand() % 10 {
            0 => v.extend(std::iter::repeat(b'x').take((rand() % 600) as usize)),
            1 => v.extend((0..(rand() % 40)).map(|_| rand() as u8)),
            2 if v.len() > 100 => {
                let start = (rand() as usize) % (v.len() - 50);
                let len = 3 + (rand() as usize) % 300;
                for i in 0..len.min(v.len() - start) {
                    v.push(v[start + i]);
                }
            }
            _ => v.extend_from_slice(words[(rand() % words.len() as u64) as usize].as_bytes()),
        }
    }
    v.truncate(n);
    v
}

#[test]
fn decodes_what_liblzma_encodes() {
    let inputs: Vec<Vec<u8>> = vec![
        Vec::new(),
        vec![7],
        vec![0; 100_000],
        sample(200_000, 1),
        (0..50_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect(),
    ];
    for data in &inputs {
        for (preset, lc, lp, pb) in [
            (6, 3, 0, 2),
            (9, 3, 0, 0),
            (9, 0, 0, 0),
            (1, 4, 0, 4),
            (3, 0, 4, 1),
            (9, 1, 2, 3),
        ] {
            let packed = compress(data, preset, lc, lp, pb);
            let what = format!(
                "{} bytes, preset {preset}, lc={lc} lp={lp} pb={pb}",
                data.len()
            );
            assert_eq!(
                unpack(&packed, data.len()).as_deref(),
                Ok(&data[..]),
                "{what}"
            );
            // More room than needed: the end marker ends it.
            assert_eq!(
                unpack(&packed, data.len() + 1000).as_deref(),
                Ok(&data[..]),
                "{what}"
            );
            // The size in the header: decoding stops there (the end marker is not read).
            let sized = with_size(packed.clone(), data.len());
            assert_eq!(
                unpack(&sized, data.len()).as_deref(),
                Ok(&data[..]),
                "{what}"
            );
            if !data.is_empty() {
                assert_eq!(
                    unpack(&packed, data.len() - 1),
                    Err(Error::TooLong),
                    "{what}"
                );
                assert_eq!(
                    unpack(&sized, data.len() - 1),
                    Err(Error::TooLong),
                    "{what}"
                );
            }
        }
    }
}

#[test]
fn the_extreme_preset_and_the_builds_settings() {
    // scripts/build.mjs: xz --format=lzma --lzma1=preset=9e,lc=3,lp=0,pb=0
    let data = sample(300_000, 9);
    let mut options = LzmaOptions::new_preset(9 | liblzma::stream::PRESET_EXTREME).unwrap();
    options
        .literal_context_bits(3)
        .literal_position_bits(0)
        .position_bits(0);
    let stream = Stream::new_lzma_encoder(&options).unwrap();
    let mut w = liblzma::write::XzEncoder::new_stream(Vec::new(), stream);
    w.write_all(&data).unwrap();
    let packed = w.finish().unwrap();
    assert_eq!(unpack(&packed, data.len()).unwrap(), data);
}

#[test]
fn broken_streams_are_errors() {
    let data = sample(20_000, 3);
    let packed = compress(&data, 6, 3, 0, 2);
    // Cut anywhere: an error (not a panic, not a short result taken as whole).
    for cut in 0..packed.len() {
        let r = unpack(&packed[..cut.max(1)], data.len());
        assert!(
            r.is_err(),
            "cut at {cut} of {}: {:?}",
            packed.len(),
            r.map(|v| v.len())
        );
    }
    let mut bad = packed.clone();
    bad[0] = 225;
    assert_eq!(unpack(&bad, data.len()), Err(Error::BadProperties));
    let mut bad = packed.clone();
    bad[13] = 1; // the range coder's first byte is always 0
    assert_eq!(unpack(&bad, data.len()), Err(Error::Corrupt));
    // Too few probabilities for the properties.
    let mut out = vec![0u8; data.len()];
    let mut probs = vec![0u16; 100];
    assert_eq!(
        decode(&packed, &mut out, &mut probs),
        Err(Error::SmallProbs)
    );
    // A size in the header larger than the output buffer.
    let sized = with_size(packed.clone(), data.len() + 1);
    assert_eq!(unpack(&sized, data.len()), Err(Error::TooLong));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_data_any_properties(
        data in prop::collection::vec(prop_oneof![4 => 0u8..4, 1 => any::<u8>()], 0..3000),
        (lc, lp) in (0u32..=4).prop_flat_map(|lp| (0..=4 - lp, Just(lp))),
        pb in 0u32..=4, preset in 0u32..=9,
    ) {
        // (liblzma's encoder takes lc + lp ≤ 4; the format allows lc ≤ 8)
        let packed = compress(&data, preset, lc, lp, pb);
        prop_assert_eq!(unpack(&packed, data.len()), Ok(data));
    }

    #[test]
    fn corrupt_bytes_never_panic(at in 13usize..400, xor in 1u8..=255, seed in 0u64..50) {
        let data = sample(5_000, seed);
        let mut packed = compress(&data, 6, 3, 0, 2);
        let at = at.min(packed.len() - 1);
        packed[at] ^= xor;
        // LZMA has no checksum: a flipped byte may still decode, to other data; it must end.
        if let Ok(v) = unpack(&packed, data.len()) {
            prop_assert!(v.len() <= data.len());
        }
    }
}
