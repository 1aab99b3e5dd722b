fn mac(acc: mat4x4f, {{w}}: mat4x4f, {{a}}: mat4x4f) -> mat4x4f {
  var r = acc;
  r[0] = fma({{w}}[0], vec4f({{a}}[0].x), r[0]); r[0] = fma({{w}}[1], vec4f({{a}}[0].y), r[0]);
  r[0] = fma({{w}}[2], vec4f({{a}}[0].z), r[0]); r[0] = fma({{w}}[3], vec4f({{a}}[0].w), r[0]);
  r[1] = fma({{w}}[0], vec4f({{a}}[1].x), r[1]); r[1] = fma({{w}}[1], vec4f({{a}}[1].y), r[1]);
  r[1] = fma({{w}}[2], vec4f({{a}}[1].z), r[1]); r[1] = fma({{w}}[3], vec4f({{a}}[1].w), r[1]);
  r[2] = fma({{w}}[0], vec4f({{a}}[2].x), r[2]); r[2] = fma({{w}}[1], vec4f({{a}}[2].y), r[2]);
  r[2] = fma({{w}}[2], vec4f({{a}}[2].z), r[2]); r[2] = fma({{w}}[3], vec4f({{a}}[2].w), r[2]);
  r[3] = fma({{w}}[0], vec4f({{a}}[3].x), r[3]); r[3] = fma({{w}}[1], vec4f({{a}}[3].y), r[3]);
  r[3] = fma({{w}}[2], vec4f({{a}}[3].z), r[3]); r[3] = fma({{w}}[3], vec4f({{a}}[3].w), r[3]);
  return r;
}
