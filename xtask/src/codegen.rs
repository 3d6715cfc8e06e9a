//! `cargo xtask codegen [--check]`: regenerate the client crate, or check it is up to date.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use codegen::{CrateOptions, Emitted, OperationFilter, RuntimeSource};

use crate::{Args, workspace_root};

/// What `cargo xtask codegen` generates by default: `models/codegen.json`.
pub struct Defaults {
    /// The model, relative to the workspace root.
    pub model: String,
    /// The operations.
    pub operations: Vec<String>,
    /// The generated package's name.
    pub crate_name: String,
    /// The generated crate's directory, relative to the workspace root.
    pub out: String,
}

impl Defaults {
    /// Reads `models/codegen.json`.
    pub fn load() -> anyhow::Result<Defaults> {
        let path = workspace_root().join("models/codegen.json");
        let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let value: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        let field = |name: &str| {
            value[name]
                .as_str()
                .map(str::to_string)
                .with_context(|| format!("{}: `{name}` must be a string", path.display()))
        };
        let operations = value["operations"]
            .as_array()
            .with_context(|| format!("{}: `operations` must be a list", path.display()))?
            .iter()
            .map(|op| op.as_str().map(str::to_string).context("operation names are strings"))
            .collect::<anyhow::Result<_>>()?;
        Ok(Defaults { model: field("model")?, operations, crate_name: field("crate_name")?, out: field("out")? })
    }
}

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let mut args = Args::new(args);
    let check = args.switch("--check");
    let model = args.value("--model")?;
    let ops = args.value("--ops")?;
    let out = args.value("--out")?;
    let crate_name = args.value("--crate-name")?;
    let inline_runtime = args.switch("--inline-runtime");
    let protocol = args
        .value("--protocol")?
        .map(|name| {
            codegen::ir::Protocol::from_name(&name, None).with_context(|| {
                let names: Vec<&str> = codegen::ir::Protocol::ALL.iter().map(|p| p.name()).collect();
                format!("--protocol {name}: expected one of {}", names.join(", "))
            })
        })
        .transpose()?;
    args.finish()?;

    let defaults = Defaults::load()?;
    let root = workspace_root();
    let custom = model.is_some() || ops.is_some() || out.is_some();
    let model_label = model.clone().unwrap_or_else(|| defaults.model.clone());
    let model_path = if model.is_some() { PathBuf::from(&model_label) } else { root.join(&model_label) };
    let filter = match ops.as_deref() {
        Some("all") => OperationFilter::All,
        Some(list) => {
            OperationFilter::Only(list.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
        }
        None if model.is_some() => OperationFilter::All,
        None => OperationFilter::Only(defaults.operations.clone()),
    };
    let out_dir = match &out {
        Some(dir) => PathBuf::from(dir),
        None if custom => {
            bail!("--model or --ops without --out would overwrite {}; name an --out directory", defaults.out)
        }
        None => root.join(&defaults.out),
    };
    // Headers name the model by a path relative to the generated crate (or the workspace, for
    // the default crate), never by a directory of this machine.
    let header_label =
        if model.is_some() { codegen::emit::relative_path(&out_dir, &model_path) } else { model_label.clone() };
    let command = if custom {
        let mut command = "cargo xtask codegen --model MODEL".to_string();
        if let Some(ops) = &ops {
            command.push_str(&format!(" --ops {ops}"));
        }
        if inline_runtime {
            command.push_str(" --inline-runtime");
        }
        if let Some(protocol) = protocol {
            command.push_str(&format!(" --protocol {}", protocol.name()));
        }
        command.push_str(" --out DIR");
        command
    } else {
        "cargo xtask codegen".to_string()
    };
    let runtime = if inline_runtime {
        RuntimeSource::Inline
    } else {
        RuntimeSource::crate_at(&root.join("codegen/runtime"), &out_dir)
    };
    let options = CrateOptions {
        crate_name: crate_name.or_else(|| (!custom).then(|| defaults.crate_name.clone())),
        model_label: header_label,
        command,
        standalone: custom,
        runtime,
    };

    let started = Instant::now();
    let emitted = generate(&model_path, &model_label, protocol, &filter, &options)?;
    let generated_in = started.elapsed();

    for (shape, pattern, reason) in &emitted.unsupported_patterns {
        eprintln!(
            "warning: shape {shape}: the pattern {pattern:?} is not supported by the regex crate ({reason}); validation skips it"
        );
    }
    for (operation, why) in &emitted.unsupported_paginators {
        eprintln!("warning: operation {operation}: its paginator is not generated: {why}");
    }
    for (operation, why) in &emitted.skipped_operations {
        eprintln!("warning: operation {operation} is not generated: {why}");
    }
    let mut changed = if check { check_files(&out_dir, &emitted)? } else { write_files(&out_dir, &emitted)? };
    if !custom {
        changed += runtime_clients(check, &partitions()?)?;
    }
    let c = &emitted.counts;
    println!(
        "codegen: {} operation{}, {} shapes ({} structures, {} enums, {} unions, {} errors, {} other) -> {} files, {} {} in {} ms",
        c.operations,
        if c.operations == 1 { "" } else { "s" },
        c.structures + c.enums + c.unions + c.errors + c.other_shapes,
        c.structures,
        c.enums,
        c.unions,
        c.errors,
        c.other_shapes,
        emitted.files.len(),
        changed,
        if check { "stale" } else { "changed" },
        generated_in.as_millis(),
    );
    Ok(())
}

/// Reads the model at `model_path` (`model_label` in errors and headers) with the endpoint
/// rule set, paginators and waiters beside it (botocore's layout), and generates the crate:
/// all that `cargo xtask codegen` does before writing files (the bench times it too).
pub fn generate(
    model_path: &Path,
    model_label: &str,
    protocol: Option<codegen::ir::Protocol>,
    filter: &OperationFilter,
    options: &CrateOptions,
) -> anyhow::Result<Emitted> {
    let text = fs::read_to_string(model_path).with_context(|| format!("reading the model {}", model_path.display()))?;
    let rule_set = file_beside(model_path, model_label, "endpoint-rule-set-1.json")?.map(|(_, text)| text);
    let paginators = file_beside(model_path, model_label, "paginators-1.json")?
        .map(|(label, text)| {
            // botocore merges the sdk-extras over the paginators (SageMaker's adds Search's
            // non-aggregate key).
            match file_beside(model_path, model_label, "paginators-1.sdk-extras.json")? {
                None => anyhow::Ok((label, text)),
                Some((extras_label, extras)) => {
                    let merged = codegen::botocore::merge_sdk_extras(&label, &text, &extras_label, &extras)?;
                    Ok((label, merged))
                }
            }
        })
        .transpose()?;
    let waiters = file_beside(model_path, model_label, "waiters-2.json")?;
    let partitions = partitions()?;
    Ok(codegen::generate_with_extras(
        model_label,
        &text,
        &codegen::ModelExtras {
            rule_set: rule_set.as_deref(),
            paginators: paginators.as_ref().map(|(label, text)| (label.as_str(), text.as_str())),
            waiters: waiters.as_ref().map(|(label, text)| (label.as_str(), text.as_str())),
            protocol,
        },
        &partitions,
        filter,
        options,
    )?)
}

/// The file `name` beside the model, if it exists: its label in errors (beside the model's
/// label, so relative to the workspace like it) and its text.
fn file_beside(model_path: &Path, model_label: &str, name: &str) -> anyhow::Result<Option<(String, String)>> {
    let Some(path) = model_path.parent().map(|dir| dir.join(name)).filter(|p| p.exists()) else {
        return Ok(None);
    };
    let label = model_label.rsplit_once('/').map_or(name.to_string(), |(dir, _)| format!("{dir}/{name}"));
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(Some((label, text)))
}

fn generated_on_disk(out: &Path) -> anyhow::Result<BTreeSet<String>> {
    generated_under(out, &out.join("src"))
}

/// The generated files below `dir`, relative to `out`.
fn generated_under(out: &Path, dir: &Path) -> anyhow::Result<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    for path in files_under(dir)? {
        if starts_with(&path, codegen::render::GENERATED_MARK.as_bytes()) {
            found.insert(path.strip_prefix(out)?.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(found)
}

/// Whether the file at `path` starts with `prefix`, reading no more of it (a whole crate's
/// files are read again only where they are compared).
fn starts_with(path: &Path, prefix: &[u8]) -> bool {
    use std::io::Read;
    let mut start = vec![0; prefix.len()];
    fs::File::open(path).and_then(|mut file| file.read_exact(&mut start)).is_ok() && start == prefix
}

/// Every file below `dir`, at any depth; none when `dir` does not exist.
pub fn files_under(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    Ok(files)
}

/// Writes the `emitted` files below `out` where they changed and removes the generated files
/// no longer among them; returns how many changed.
pub fn write_files(out: &Path, emitted: &Emitted) -> anyhow::Result<usize> {
    write_files_in(out, generated_on_disk(out)?, &emitted.files)
}

/// Writes `files` below `out` where they changed, and removes the `leftover` generated files
/// no longer among them.
fn write_files_in(
    out: &Path,
    mut leftover: BTreeSet<String>,
    files: &[codegen::GeneratedFile],
) -> anyhow::Result<usize> {
    let mut changed = 0;
    for file in files {
        leftover.remove(&file.path);
        let path = out.join(&file.path);
        if fs::read_to_string(&path).ok().as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(&path, &file.contents).with_context(|| format!("writing {}", path.display()))?;
        changed += 1;
    }
    for stale in leftover {
        let path = out.join(&stale);
        fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        changed += 1;
    }
    Ok(changed)
}

fn check_files(out: &Path, emitted: &Emitted) -> anyhow::Result<usize> {
    check_files_in(out, generated_on_disk(out)?, &emitted.files)
}

/// Fails, naming them, when `files` below `out` differ from what is on disk, or `leftover`
/// generated files are no longer among them.
fn check_files_in(
    out: &Path,
    mut leftover: BTreeSet<String>,
    files: &[codegen::GeneratedFile],
) -> anyhow::Result<usize> {
    let mut problems = Vec::new();
    for file in files {
        leftover.remove(&file.path);
        let path = out.join(&file.path);
        match fs::read_to_string(&path) {
            Ok(text) if text == file.contents => {}
            Ok(_) => problems.push(format!("{} is not up to date", path.display())),
            Err(_) => problems.push(format!("{} is missing", path.display())),
        }
    }
    for stale in leftover {
        problems.push(format!("{} is no longer generated", out.join(stale).display()));
    }
    if problems.is_empty() {
        return Ok(0);
    }
    for problem in &problems {
        eprintln!("{problem}");
    }
    bail!("{} generated file(s) are stale: run `cargo xtask codegen` and commit the result", problems.len())
}

/// The botocore version the pinned model comes from (`models/provenance.json`).
pub fn pinned_botocore_version() -> anyhow::Result<String> {
    let path = workspace_root().join("models/provenance.json");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    value["version"].as_str().map(str::to_string).with_context(|| format!("{}: no `version`", path.display()))
}

/// The pinned `models/partitions.json`.
pub fn partitions() -> anyhow::Result<String> {
    let path = workspace_root().join("models/partitions.json");
    fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
}

/// The STS and SSO clients the runtime's credential providers call, generated as modules of
/// the runtime crate from `models/runtime_clients.json`, and the list of their files the
/// generator copies into crates that carry the runtime inline
/// (`codegen/src/runtime_client_files.rs`). Returns how many files changed (or are stale).
fn runtime_clients(check: bool, partitions: &str) -> anyhow::Result<usize> {
    let root = workspace_root();
    let path = root.join("models/runtime_clients.json");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let entries: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let runtime_src = root.join("codegen/runtime/src");
    let mut listed = Vec::new();
    let mut changed = 0;
    for entry in entries.as_array().with_context(|| format!("{}: expected a list", path.display()))? {
        let field =
            |name: &str| entry[name].as_str().with_context(|| format!("{}: `{name}` must be a string", path.display()));
        let (model_label, module, out) = (field("model")?, field("module")?, field("out")?);
        let operations: Vec<String> = entry["operations"]
            .as_array()
            .with_context(|| format!("{}: `operations` must be a list", path.display()))?
            .iter()
            .map(|op| op.as_str().map(str::to_string).context("operation names are strings"))
            .collect::<anyhow::Result<_>>()?;
        let model_path = root.join(model_label);
        let text = fs::read_to_string(&model_path).with_context(|| format!("reading {}", model_path.display()))?;
        let rule_set = file_beside(&model_path, model_label, "endpoint-rule-set-1.json")?.map(|(_, text)| text);
        let model = codegen::parse_model(model_label, &text)?.with_endpoint_rule_set(rule_set);
        let selection = codegen::graph::select(model_label, &model, &OperationFilter::Only(operations))?;
        let options = CrateOptions {
            crate_name: None,
            model_label: model_label.to_string(),
            command: "cargo xtask codegen".to_string(),
            standalone: false,
            runtime: RuntimeSource::Crate { path: String::new() },
        };
        let emitted = codegen::emit::emit_module_with_endpoints(&model, &selection, &options, module, partitions)
            .map_err(|e| anyhow::anyhow!("{model_label}: {e}"))?;
        let out_dir = root.join(out);
        let leftover = generated_under(&out_dir, &out_dir)?;
        changed += if check {
            check_files_in(&out_dir, leftover, &emitted.files)?
        } else {
            write_files_in(&out_dir, leftover, &emitted.files)?
        };
        let relative = out_dir
            .strip_prefix(&runtime_src)
            .with_context(|| format!("{out} is not below codegen/runtime/src"))?
            .to_string_lossy()
            .replace('\\', "/");
        listed.extend(emitted.files.iter().map(|file| format!("{relative}/{}", file.path)));
    }
    let mut list = String::from(
        "// Code generated by `cargo xtask codegen` from models/runtime_clients.json. DO NOT EDIT.\n\n\
         //! The files of the STS and SSO clients generated into the runtime, which the generator\n\
         //! copies with the runtime's own files.\n\n\
         /// (file name below the runtime's `src/`, source) of every generated client file.\n\
         pub const RUNTIME_CLIENT_FILES: &[(&str, &str)] = &[\n",
    );
    listed.sort();
    for file in &listed {
        list.push_str(&format!("    (\"{file}\", include_str!(\"../runtime/src/{file}\")),\n"));
    }
    list.push_str("];\n");
    let list_file = codegen::GeneratedFile { path: "runtime_client_files.rs".to_string(), contents: list };
    let codegen_src = root.join("codegen/src");
    let none = BTreeSet::new();
    changed += if check {
        check_files_in(&codegen_src, none, std::slice::from_ref(&list_file))?
    } else {
        write_files_in(&codegen_src, none, std::slice::from_ref(&list_file))?
    };
    Ok(changed)
}
