#version 450
// Shadow pass: depth only; the fragment stage writes nothing.

void main() {
}
