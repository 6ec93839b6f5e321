//! `rota schema`: the JSON Schema of `on-call-list.toml`, for editors (taplo, VS Code's Even
//! Better TOML) and validators. It is generated from the types the list is parsed into, so it
//! says what this rota accepts; the repository ships the same text in
//! `schema/on-call-list.schema.json`, which `rota init` names in the list's `#:schema` line.

pub fn run() -> String {
    crate::roster::json_schema()
}
