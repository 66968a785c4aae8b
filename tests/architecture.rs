//! The shape of the code, checked: the domain is pure (no IO, no database, no web framework, no
//! clock), its modules import each other without a circle, the server reports through group commit
//! only, and nothing in `src/` points at a document outside the repository.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The code of a file without its tests (which may use what the core may not) and its comments.
fn source(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    code.lines().filter(|line| !line.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn the_domain_is_pure() {
    let forbidden =
        ["diesel", "actix", "tokio", "lettre", "reqwest", "std::fs", "std::net", "Utc::now", "SystemTime"];
    for file in rust_files(&src().join("domain")) {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        if name == "tests.rs" {
            continue;
        }
        let text = source(&file);
        for word in forbidden {
            assert!(!text.contains(word), "{} uses {word}", file.display());
        }
        assert!(
            !text.contains("crate::storage") && !text.contains("crate::app"),
            "{} reaches out",
            file.display()
        );
    }
}

/// Every report the server takes goes through group commit (`app::report::report_grouped`): a new
/// handler that called the one-transaction `report` would queue beside the groups, not in them.
#[test]
fn the_server_reports_through_group_commit_only() {
    let mut grouped = 0;
    for file in rust_files(&src().join("web")) {
        let text = source(&file);
        assert!(!text.contains("report::report("), "{} reports outside group commit", file.display());
        grouped += text.matches("report::report_grouped(").count();
    }
    assert_eq!(grouped, 2, "the API and the form report through group commit");
}

#[test]
fn the_domain_modules_import_each_other_without_a_circle() {
    let domain = src().join("domain");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(&domain) {
        let module =
            file.strip_prefix(&domain).unwrap().components().next().unwrap().as_os_str().to_string_lossy();
        let module = module.trim_end_matches(".rs").to_string();
        if module == "tests" || module == "mod" {
            continue;
        }
        let text = source(&file);
        let deps = graph.entry(module.clone()).or_default();
        for prefix in ["super::", "crate::domain::"] {
            for (at, _) in text.match_indices(prefix) {
                let rest = &text[at + prefix.len()..];
                let name: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                if !name.is_empty() && name != module && name != "super" {
                    deps.insert(name);
                }
            }
        }
    }
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if let Some(at) = path.iter().position(|n| n == node) {
            panic!("import circle in the domain: {} → {node}", path[at..].join(" → "));
        }
        if done.contains(node) {
            return;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, path, done);
        }
        path.pop();
        done.insert(node.to_string());
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, &graph, &mut Vec::new(), &mut done);
    }
    assert!(graph.len() > 10, "{graph:?}");
}

#[test]
fn comments_point_only_at_files_in_the_repository() {
    for file in rust_files(&src()) {
        let text = std::fs::read_to_string(&file).unwrap();
        for outside in ["DESIGN.md", "CONTRACT.md", "domain/regulation.md", "domain/ap-form.md", "shared/"] {
            assert!(
                !text.contains(outside),
                "{} points at {outside}, which is not in the repository",
                file.display()
            );
        }
    }
}
