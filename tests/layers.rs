//! The crate's layering, as docs/architecture.md draws it: every `crate::` path in a module's
//! code names a module on a lower floor, and only the page's binding layer (`src/web*`) knows the
//! browser. The floors are read from the block in docs/architecture.md, so the map and the check
//! cannot drift apart. Test code (`tests.rs` files, `#[cfg(test)]` modules) is exempt: tests may
//! run the whole pipeline.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Module → floor, from the fenced block after the "crate floors" marker of
/// docs/architecture.md (lines "floor  module module …").
fn floors() -> BTreeMap<String, usize> {
    let doc = std::fs::read_to_string(root().join("docs/architecture.md")).unwrap();
    let at = doc
        .find("<!-- crate floors")
        .expect("docs/architecture.md: no \"crate floors\" block");
    let block = &doc[at..];
    let start = block.find("```text\n").expect("the floors' ```text block") + 8;
    let end = start + block[start..].find("```").expect("the block's end");
    let mut floors = BTreeMap::new();
    for line in block[start..end].lines() {
        let mut words = line.split_whitespace();
        let Some(floor) = words.next() else { continue };
        let floor: usize = floor
            .parse()
            .unwrap_or_else(|_| panic!("floor of {line:?}"));
        for module in words {
            assert!(
                floors.insert(module.to_string(), floor).is_none(),
                "{module} on two floors"
            );
        }
    }
    assert!(floors.len() > 10, "floors read: {floors:?}");
    floors
}

/// `src` with comments, string and char literals blanked out (kept as spaces, so that braces and
/// `crate::` inside them do not count).
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, s: &[u8]| {
        out.extend(s.iter().map(|&c| if c == b'\n' { c } else { b' ' }))
    };
    while i < b.len() {
        let rest = &b[i..];
        let skip = if rest.starts_with(b"//") {
            rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len())
        } else if rest.starts_with(b"/*") {
            rest.windows(2)
                .position(|w| w == b"*/")
                .map_or(rest.len(), |p| p + 2)
        } else if rest.starts_with(b"r#") || rest.starts_with(b"r\"") {
            let hashes = rest[1..].iter().take_while(|&&c| c == b'#').count();
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            let open = 1 + hashes + 1;
            rest[open..]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(rest.len(), |p| open + p + close.len())
        } else if rest[0] == b'"' {
            let mut j = 1;
            while j < rest.len() && rest[j] != b'"' {
                j += if rest[j] == b'\\' { 2 } else { 1 };
            }
            (j + 1).min(rest.len())
        } else if rest[0] == b'\'' {
            // A char literal ('x', '\n', '\u{..}'), not a lifetime ('a).
            match rest.get(1) {
                Some(b'\\') => rest[2..]
                    .iter()
                    .position(|&c| c == b'\'')
                    .map_or(1, |p| p + 3),
                Some(_) if rest.get(2) == Some(&b'\'') => 3,
                Some(&c) if c >= 0x80 => {
                    let n = std::str::from_utf8(&rest[1..rest.len().min(6)])
                        .ok()
                        .or_else(|| std::str::from_utf8(&rest[1..rest.len().min(5)]).ok())
                        .and_then(|s| s.chars().next())
                        .map_or(1, char::len_utf8);
                    if rest.get(1 + n) == Some(&b'\'') {
                        n + 2
                    } else {
                        1
                    }
                }
                _ => 1,
            }
        } else {
            0
        };
        if skip > 1 || (skip == 1 && rest[0] != b'\'') {
            blank(&mut out, &rest[..skip]);
            i += skip;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `code` without its `#[cfg(test)] mod … { … }` blocks.
fn without_test_modules(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        let after = &rest[at + "#[cfg(test)]".len()..];
        let head = after.trim_start();
        let is_mod = head.starts_with("mod ")
            || head.starts_with("pub mod ")
            || head.starts_with("pub(crate) mod ");
        match (is_mod, head.find(['{', ';'])) {
            (true, Some(open)) if head.as_bytes()[open] == b'{' => {
                out.push_str(&rest[..at]);
                let body = &head[open + 1..];
                let mut depth = 1;
                let mut end = body.len();
                for (k, c) in body.char_indices() {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    if depth == 0 {
                        end = k + 1;
                        break;
                    }
                }
                rest = &body[end..];
            }
            _ => {
                out.push_str(&rest[..at + "#[cfg(test)]".len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The crate modules a piece of code names: `crate::m…` and each `m` of `crate::{m…, …}`.
fn crate_paths(code: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue; // e.g. `als_progression_crate::`
        }
        let rest = &code[at + 7..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item_start = true;
            for (k, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    _ if item_start && !c.is_whitespace() => {
                        found.push(ident(&group[k..]));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.push(ident(rest));
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The crate's own files with their top module (`src/parse/long.rs` → parse); lib.rs and the
/// CLI (`src/bin/`) left out.
fn modules() -> Vec<(String, PathBuf)> {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(&src).unwrap();
            let first = rel.components().next()?.as_os_str().to_str()?.to_string();
            let module = first.strip_suffix(".rs").unwrap_or(&first);
            // `items_tests.rs` holds the tests of `items.rs`.
            let module = module.strip_suffix("_tests").unwrap_or(module).to_string();
            (module != "lib" && module != "bin").then_some((module, p))
        })
        .collect()
}

#[test]
fn every_module_imports_only_modules_on_lower_floors() {
    let floors = floors();
    let mut climbing = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (module, path) in modules() {
        let floor = *floors
            .get(&module)
            .unwrap_or_else(|| panic!("src/{module} is on no floor of docs/architecture.md"));
        seen.insert(module.clone());
        if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n == "tests.rs" || n.ends_with("_tests.rs"))
        {
            continue;
        }
        let code = without_test_modules(&code_only(&std::fs::read_to_string(&path).unwrap()));
        for target in crate_paths(&code) {
            if target == module {
                continue;
            }
            match floors.get(&target) {
                Some(&f) if f < floor => {}
                Some(&f) => climbing.push(format!(
                    "{} (floor {floor}) imports {target} (floor {f})",
                    path.strip_prefix(root()).unwrap().display()
                )),
                None => climbing.push(format!(
                    "{} names crate::{target}, which is on no floor",
                    path.strip_prefix(root()).unwrap().display()
                )),
            }
        }
    }
    assert!(
        climbing.is_empty(),
        "imports that do not go down:\n{}",
        climbing.join("\n")
    );
    let missing: Vec<_> = floors.keys().filter(|m| !seen.contains(*m)).collect();
    assert!(
        missing.is_empty(),
        "docs/architecture.md lists modules that do not exist: {missing:?}"
    );
}

#[test]
fn only_the_binding_layer_knows_the_browser() {
    for (module, path) in modules() {
        if module.starts_with("web") {
            continue;
        }
        let code = code_only(&std::fs::read_to_string(&path).unwrap());
        for name in ["wasm_bindgen", "web_sys", "js_sys"] {
            assert!(
                !code.contains(name),
                "{} uses {name}: only src/web* may",
                path.display()
            );
        }
    }
}

/// The checker itself: what it counts and what it skips.
#[test]
fn the_checker_reads_paths_and_skips_comments_strings_and_tests() {
    let src = r##"
use crate::data::Measure; // crate::fake in a comment
use crate::{settings::Settings, diag::{Diagnostic, Severity}};
/* crate::block */ let s = "crate::string"; let c = '{'; let r = r#"crate::raw"#;
fn f<'a>(x: &'a str) { crate::sort::sort_f64(&mut []); }
#[cfg(test)]
mod tests {
    use crate::pipeline::run;
    fn g() { let _ = "}"; }
}
fn h() { crate::par::cores(); }
"##;
    let code = without_test_modules(&code_only(src));
    assert_eq!(
        crate_paths(&code),
        ["data", "settings", "diag", "sort", "par"],
        "{code}"
    );
}
