//! The product database: expand/contract migrations as operations, product
//! writes, restore (with its lost writes = RPO).

use super::action::op_name;
use super::step::{fail, new_op, record, say, Cx, Reason, Refusal};
use super::world::*;

pub fn request_migration(
    cx: &mut Cx,
    by: u8,
    column: u8,
    destructive: bool,
) -> Result<(), Refusal> {
    let present = cx.w.db.columns & (1 << column) != 0;
    if destructive != present {
        return Err(if destructive {
            "the column is already gone"
        } else {
            "the column already exists"
        });
    }
    let op = new_op(cx, OpKind::Migrate, Actor::Operator(by), column)?;
    cx.w.ops[op as usize].destructive = destructive;
    Ok(())
}

/// Runs, or is about to (planned: its runner will start it whatever the
/// database looks like then).
fn runs_or_will(a: &Alloc) -> bool {
    a.used && (a.state.running() || a.state == AllocState::Planned)
}

/// Contract's gate: no allocation that runs or is about to run reads the
/// column, nor does the route owner's artifact (a wake would start it).
pub fn contract_gate(w: &World, column: u8) -> bool {
    let reads = |art: u8| w.artifacts[art as usize].reads & (1 << column) != 0;
    !reads(w.owner.artifact)
        && !w
            .allocs
            .iter()
            .any(|a| runs_or_will(a) && reads(a.artifact))
}

pub fn migration_next(cx: &mut Cx, op: u8) -> Result<(), Refusal> {
    let o = cx.w.ops[op as usize];
    let col = o.target;
    if o.destructive && !contract_gate(cx.w, col) {
        fail(cx, op, Reason::ColumnStillRead);
        return Ok(());
    }
    let present = cx.w.db.columns & (1 << col) != 0;
    if present != o.destructive && o.stage < 2 {
        fail(cx, op, Reason::ColumnAbsent);
        return Ok(());
    }
    match o.stage {
        0 => record(cx, op, 1),
        1 => record(cx, op, 2),
        _ => {
            if o.destructive {
                cx.w.db.columns &= !(1 << col);
                say!(cx, "Column {} dropped (contract).", COLUMNS[col as usize]);
            } else {
                cx.w.db.columns |= 1 << col;
                say!(cx, "Column {} added (expand).", COLUMNS[col as usize]);
            }
            record(cx, op, 3);
        }
    }
    Ok(())
}

pub fn request_restore(cx: &mut Cx, by: u8) -> Result<(), Refusal> {
    new_op(cx, OpKind::Restore, Actor::Operator(by), 0)?;
    Ok(())
}

/// The route owner's artifact and every allocation that runs or is about to
/// run work on `columns` (the same rule as contract's gate: a restore drops
/// the columns the backup lacks).
pub fn compatible_with(w: &World, columns: u8) -> bool {
    let ok = |art: u8| w.artifacts[art as usize].reads & !columns == 0;
    ok(w.owner.artifact) && w.allocs.iter().all(|a| !runs_or_will(a) || ok(a.artifact))
}

pub fn restore_next(cx: &mut Cx, op: u8) -> Result<(), Refusal> {
    let o = cx.w.ops[op as usize];
    match o.stage {
        0 => {
            if !compatible_with(cx.w, cx.w.db.backup_columns) {
                fail(cx, op, Reason::BackupIncompatible);
                return Ok(());
            }
            cx.w.db.fenced = true;
            say!(cx, "Writers fenced.");
            record(cx, op, 1);
        }
        1 => {
            if !compatible_with(cx.w, cx.w.db.backup_columns) {
                cx.w.db.fenced = false;
                fail(cx, op, Reason::BackupIncompatible);
                return Ok(());
            }
            let db = &mut cx.w.db;
            let lost = db.writes.saturating_sub(db.backup_writes);
            db.lost_writes = db.lost_writes.saturating_add(lost);
            db.writes = db.backup_writes;
            db.columns = db.backup_columns;
            say!(
                cx,
                "Backup restored: {lost} write(s) since the backup are lost (RPO)."
            );
            record(cx, op, 2);
        }
        _ => {
            cx.w.db.fenced = false;
            say!(
                cx,
                "Writers unfenced; impact recorded by {}.",
                op_name(cx.w, op)
            );
            record(cx, op, 3);
        }
    }
    Ok(())
}

pub fn write(cx: &mut Cx) -> Result<(), Refusal> {
    if cx.w.db.fenced {
        return Err("writers are fenced during the restore");
    }
    if !super::step::serving(cx.w) {
        return Err("production is not serving");
    }
    if cx.w.db.writes >= 3 {
        return Err("this model counts three writes");
    }
    cx.w.db.writes += 1;
    say!(
        cx,
        "A product write is committed (write {}).",
        cx.w.db.writes
    );
    Ok(())
}
