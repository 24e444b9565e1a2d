;; ops.wat: one function per instruction group, for the decoder's tests
;; (minetrace test_wasm): every immediate shape the decoder must step over.
(module
  (type $t (func (param i32) (result i32)))
  (import "env" "f" (func $imp (param i32) (result i32)))
  (import "env" "mem" (memory 1 2 shared))
  (table $tab 2 funcref)
  (global $g (mut i64) (i64.const -1))
  (tag $e (param i32))
  (data $d "\00asm")
  (elem declare func $mvp)
  (func $mvp (export "mvp") (param i32) (result i32)
    (local i64 f32 f64)
    block (result i32)
      loop
        local.get 0
        i32.const 1
        i32.sub
        local.tee 0
        br_if 0
      end
      local.get 0
      br_table 0 0 0
    end
    drop
    i64.const 0x8000000080008000
    global.set $g
    f32.const 1.5
    f64.const 2.5
    f64.promote_f32
    f64.add
    drop
    local.get 0
    i32.const 0
    i32.const 1
    select
    i32.const 0
    call_indirect (type $t)
    ref.func $mvp
    ref.is_null
    drop
    ref.null func
    drop
    (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0))
    drop
    local.get 0
    i32.load8_u offset=3
    i64.extend_i32_u
    i64.const 13
    i64.rotl
    local.set 1
    memory.size
    i32.const 1
    memory.grow
    i32.add
    if (result i32)
      i32.const 7
    else
      unreachable
    end)
  (func $ext (export "ext") (param i32) (result i32)
    local.get 0
    i32.extend8_s
    i32.extend16_s
    f32.convert_i32_s
    i32.trunc_sat_f32_s
    i32.const 0
    i32.const 0
    i32.const 4
    memory.copy
    i32.const 0
    i32.const 0
    i32.const 4
    memory.fill
    i32.const 0
    i32.const 0
    i32.const 4
    memory.init $d
    data.drop $d
    table.size $tab
    drop)
  (func $simd (export "simd") (param i32) (result i32)
    local.get 0
    v128.load offset=16
    v128.const i32x4 1 2 3 4
    i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
    i32x4.extract_lane 2
    local.get 0
    v128.load32_zero
    local.get 0
    v128.load8_lane 3
    i64x2.extract_lane 1
    drop
    i32.add)
  (func $atomics (export "atomics") (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.atomic.rmw.add offset=8
    atomic.fence
    local.get 0
    i32.const 1
    memory.atomic.notify)
  (func $tail (param i32) (result i32)
    local.get 0
    return_call $imp)
  (func $exc (param i32) (result i32)
    try (result i32)
      local.get 0
      throw $e
    catch $e
    catch_all
      i32.const 0
    end)
)
