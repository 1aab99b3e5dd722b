struct Params {
  N: u32,
  C: u32,
  H: u32,
  W: u32,
  FH: u32,
  FW: u32,
  S: u32,
  P: u32,
  OH: u32,
  OW: u32,
}
