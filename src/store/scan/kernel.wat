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
        (br $blocks)))))
