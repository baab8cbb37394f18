;; The fast-scan kernel of the compact vector index (see codes.ts for the layout it reads).
;;
;; Codes are stored in blocks of 16 vectors: for each code byte position j of a vector, the 16
;; vectors' bytes lie side by side at block + 16 * j. A byte holds four 2-bit codes; each nibble
;; (two codes) indexes a 16-entry table of signed 8-bit partial scores that the query supplies, so
;; one i8x16.swizzle looks up a nibble of 16 vectors at once. Partial scores are summed in 16-bit
;; lanes; the caller scales the tables so that no sum can overflow.
;;
;; scan(codes, blocks, blockBytes, active, activeCount, tables, out):
;;   codes       address of block 0
;;   blocks      number of blocks
;;   blockBytes  bytes per block (16 * bytes per vector)
;;   active      address of activeCount i32s: the byte offsets (16 * j) of the positions to score
;;   tables      address of activeCount pairs of 16-byte tables (low nibble, then high nibble)
;;   out         address of 16 * blocks i16 scores, vector order
;;
;; histogram(scores, count, histogram): counts the first `count` i16 scores in 8,192 u32 buckets
;;   of 8 score units each: bucket = (score + 32768) >> 3. The buckets must be zero beforehand.
;;
;; collect(scores, count, low, high, out): writes to `out` the i32 indexes of the scores s with
;;   low <= s < high, in index order; returns how many.
(module
  (memory (export "memory") 1)
  (func (export "scan")
    (param $codes i32) (param $blocks i32) (param $blockBytes i32)
    (param $active i32) (param $activeCount i32) (param $tables i32) (param $out i32)
    (local $block i32) (local $end i32) (local $a i32) (local $table i32)
    (local $low v128) (local $high v128) (local $bytes v128) (local $part v128)
    (local.set $block (local.get $codes))
    (local.set $end
      (i32.add (local.get $codes) (i32.mul (local.get $blocks) (local.get $blockBytes))))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $block) (local.get $end)))
        (local.set $low (v128.const i64x2 0 0))
        (local.set $high (v128.const i64x2 0 0))
        (local.set $a (i32.const 0))
        (local.set $table (local.get $tables))
        (block $positionsDone
          (loop $positions
            (br_if $positionsDone (i32.ge_u (local.get $a) (local.get $activeCount)))
            (local.set $bytes
              (v128.load
                (i32.add
                  (local.get $block)
                  (i32.load (i32.add (local.get $active) (i32.shl (local.get $a) (i32.const 2)))))))
            ;; low nibbles
            (local.set $part
              (i8x16.swizzle
                (v128.load (local.get $table))
                (v128.and (local.get $bytes) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))))
            (local.set $low (i16x8.add (local.get $low) (i16x8.extend_low_i8x16_s (local.get $part))))
            (local.set $high (i16x8.add (local.get $high) (i16x8.extend_high_i8x16_s (local.get $part))))
            ;; high nibbles
            (local.set $part
              (i8x16.swizzle
                (v128.load offset=16 (local.get $table))
                (i8x16.shr_u (local.get $bytes) (i32.const 4))))
            (local.set $low (i16x8.add (local.get $low) (i16x8.extend_low_i8x16_s (local.get $part))))
            (local.set $high (i16x8.add (local.get $high) (i16x8.extend_high_i8x16_s (local.get $part))))
            (local.set $a (i32.add (local.get $a) (i32.const 1)))
            (local.set $table (i32.add (local.get $table) (i32.const 32)))
            (br $positions)))
        (v128.store (local.get $out) (local.get $low))
        (v128.store offset=16 (local.get $out) (local.get $high))
        (local.set $out (i32.add (local.get $out) (i32.const 32)))
        (local.set $block (i32.add (local.get $block) (local.get $blockBytes)))
        (br $blocks))))
  (func (export "histogram") (param $scores i32) (param $count i32) (param $histogram i32)
    (local $end i32) (local $at i32)
    (local.set $end (i32.add (local.get $scores) (i32.shl (local.get $count) (i32.const 1))))
    (block $done
      (loop $scores
        (br_if $done (i32.ge_u (local.get $scores) (local.get $end)))
        (local.set $at
          (i32.add
            (local.get $histogram)
            (i32.shl
              (i32.shr_u
                (i32.add (i32.load16_s (local.get $scores)) (i32.const 32768))
                (i32.const 3))
              (i32.const 2))))
        (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
        (local.set $scores (i32.add (local.get $scores) (i32.const 2)))
        (br $scores))))
  (func (export "collect")
    (param $scores i32) (param $count i32) (param $low i32) (param $high i32) (param $out i32)
    (result i32)
    (local $i i32) (local $score i32) (local $found i32)
    (block $done
      (loop $scores
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $score
          (i32.load16_s (i32.add (local.get $scores) (i32.shl (local.get $i) (i32.const 1)))))
        (if
          (i32.and
            (i32.ge_s (local.get $score) (local.get $low))
            (i32.lt_s (local.get $score) (local.get $high)))
          (then
            (i32.store
              (i32.add (local.get $out) (i32.shl (local.get $found) (i32.const 2)))
              (local.get $i))
            (local.set $found (i32.add (local.get $found) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scores)))
    (local.get $found)))
