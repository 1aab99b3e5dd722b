struct Window {
  lo: vec4f,
  hi: vec4f,
}

// The windows of the 4 + FH − 1 input rows under a block (rows past that are left 0).
struct Rows {
  r0: Window,
  r1: Window,
  r2: Window,
  r3: Window,
  r4: Window,
  r5: Window,
  r6: Window,
  r7: Window,
}
