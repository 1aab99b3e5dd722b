let H = i32(params.H);
let W = i32(params.W);
let S = i32(params.S);
let P = i32(params.P);
let FW = i32(params.FW);

// Window rows clipped to the input: kh in [khLo, khHi).
let ih0 = i32(oh) * S - P;
let khLo = max(0, -ih0);
let rows = min(i32(params.FH), H - ih0) - khLo;
