fn grad(plane: u32, oh: u32, ow: u32) -> f32 {
  let q = params;
  if (POOL_GRAD) {
    let POW = q.OW / 2u;
    let o = (plane * (q.OH / 2u) + oh / 2u) * POW + ow / 2u;
    let hit = argmax[o] == (plane * q.OH + oh) * q.OW + ow;
    if (RELU_MASK) {
      return select(0.0, dy[o], hit && y[o] > 0.0);
    }
    return select(0.0, dy[o], hit);
  }
  let i = (plane * q.OH + oh) * q.OW + ow;
  if (RELU_MASK) {
    return select(0.0, dy[i], y[i] > 0.0);
  }
  return dy[i];
}
