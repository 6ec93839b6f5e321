//! The JSON Schema of `on-call-list.toml`: what `rota schema` prints, the file the repository
//! ships, and a real validator (check-jsonschema, from PyPI) reading lists with it.

use std::path::Path;

use crate::common;

use common::Team;

const NOW: &str = "2026-11-23T10:00:00+01:00";

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> String {
    let output = Team::new().rota(NOW, &["schema"]).output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_shipped_schema_is_what_rota_schema_prints() {
    let shipped = std::fs::read_to_string(repository().join("schema/on-call-list.schema.json"))
        .unwrap_or_default();
    assert!(
        shipped == schema(),
        "schema/on-call-list.schema.json is not `rota schema`'s output: run `cargo run -- schema > schema/on-call-list.schema.json`"
    );
    let value: serde_json::Value = serde_json::from_str(&shipped).unwrap();
    assert_eq!(
        value["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(
        value["$id"],
        format!(
            "https://raw.githubusercontent.com/rota-cli/rota/v{}/schema/on-call-list.schema.json",
            env!("CARGO_PKG_VERSION")
        )
    );
    // Unknown keys are errors in the schema as in rota.
    assert_eq!(value["additionalProperties"], false);
    assert_eq!(value["$defs"]["Team"]["additionalProperties"], false);
}

/// `check-jsonschema --schemafile SCHEMA FILE...` (TOML by the files' extension): its exit
/// code and what it printed.
fn validate(schema: &Path, files: &[&Path]) -> Option<(bool, String)> {
    let program = common::tool("check-jsonschema")?;
    let output = std::process::Command::new(program)
        .arg("--schemafile")
        .arg(schema)
        .args(files)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    Some((output.status.success(), text))
}

#[test]
fn a_validator_accepts_the_example_and_inits_list_and_rejects_a_broken_one() {
    let schema = repository().join("schema/on-call-list.schema.json");
    // The example team, the shared test team, and what `rota init` and `rota init --example`
    // write.
    let team = Team::new();
    let init = tempfile::tempdir().unwrap();
    common::rota_in(init.path(), NOW, common::INIT)
        .assert()
        .success();
    let example = tempfile::tempdir().unwrap();
    common::rota_in(example.path(), NOW, &["init", "--example"])
        .assert()
        .success();
    let Some((valid, report)) = validate(
        &schema,
        &[
            &repository().join("examples/cloud-sre/on-call-list.toml"),
            &team.path("on-call-list.toml"),
            &init.path().join("on-call-list.toml"),
            &example.path().join("on-call-list.toml"),
        ],
    ) else {
        return;
    };
    assert!(valid, "{report}");

    // What rota rejects, the validator rejects, each at its place.
    let broken = (common::TEAM.to_string() + "\n[regions.UK]\nholidays = [2026-12-26]\n")
        .replace("[team]\n", "[team]\nhook = \"curl example.org | sh\"\n")
        .replace("id = \"bob\"", "id = \"Bob\"")
        .replace(
            "[handover]",
            "working-hours = \"9 to 5\"\n\n[[override]]\ndate = \"2026-11-31\"\nengineer = \"bob\"\nkind = \"trade\"\n\n[handover]",
        );
    let team = Team::with_list(&broken);
    team.rota(NOW, &["check"]).assert().code(1);
    let (valid, report) = validate(&schema, &[&team.path("on-call-list.toml")]).unwrap();
    assert!(!valid, "the broken list passed: {report}");
    for place in [
        "$.team: Additional properties are not allowed ('hook' was unexpected)",
        "$.engineer[1].id: 'Bob' does not match",
        "$.engineer[4]['working-hours']: '9 to 5' does not match",
        "$.override[0].date: '2026-11-31' is not a 'date'",
        "$.override[0].kind: 'trade' is not one of ['swap', 'cover']",
        "$.regions: 'UK' does not match",
    ] {
        assert!(report.contains(place), "{place:?} not in:\n{report}");
    }
}
