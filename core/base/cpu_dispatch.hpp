// CS_AVX2_CLONES, on a function: GCC builds it twice, for any x86-64 and for
// AVX2 + FMA (Haswell, 2013, and later), and the loader picks the one the CPU
// runs (an ifunc). For the plain loops the compiler vectorises by itself
// (Adam, col2im, activations, pooling): twice the lanes where the CPU has
// them, while the binary still runs on every x86-64.
//
// The two builds may round differently (the AVX2 one contracts a * b + c into
// one FMA), as direct_conv's do: a run is reproducible on one machine, and
// agrees with another machine's to float rounding. Clang (the sanitizer and
// fuzzing builds) gets the baseline build alone.
#pragma once

#if defined(__x86_64__) && defined(__ELF__) && defined(__GNUC__) && !defined(__clang__)
#define CS_AVX2_CLONES __attribute__((target_clones("arch=haswell", "default")))
#else
#define CS_AVX2_CLONES
#endif
