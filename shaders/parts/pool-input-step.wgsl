i++;
rx++;
if (rx == S) {
  rx = 0u;
  qx++;
}
