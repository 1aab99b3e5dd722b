var acc0 = vec4f(0.0);
var acc1 = vec4f(0.0);
var acc2 = vec4f(0.0);
var acc3 = vec4f(0.0);
let ar = 4u * lid.y;
let bc = 4u * lid.x;
