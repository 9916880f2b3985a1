/* The shipped digits (the four .gz files in resources/digits), linked into
 * the core library so that "digits" loads from any working directory and from
 * an installed binary.
 *
 * For each file F this defines the symbols cs_digits_F_begin and
 * cs_digits_F_end around its bytes (read by embedded_digits.cpp).
 *
 * The path: core/CMakeLists.txt defines CONVSCOPE_RESOURCES_DIR (a quoted
 * absolute path) for the whole target, assembler included, and GCC runs .S
 * files through the C preprocessor. .incbin takes one string, and adjacent
 * strings are not joined, so the macro below glues directory and file name
 * together: GAS strips the quotes from macro arguments and \dir\file pastes
 * them into one path. Without the definition, the path falls back to
 * ../resources relative to core/, which is on the include path (-I), where
 * GAS also looks for .incbin files.
 *
 * Rebuild note: the compiler's dependency file does not list .incbin files,
 * so after regenerating resources/digits, touch this file (or add
 * OBJECT_DEPENDS, see embedded_digits.hpp).
 */
#ifndef CONVSCOPE_RESOURCES_DIR
#define CONVSCOPE_RESOURCES_DIR "../resources"
#endif

.macro cs_blob sym, dir, file
    .section .rodata.cs_digits, "a", @progbits
    .balign 16
    .globl \sym\()_begin
    .hidden \sym\()_begin
    .type \sym\()_begin, @object
\sym\()_begin:
    .incbin "\dir\file"
    .globl \sym\()_end
    .hidden \sym\()_end
\sym\()_end:
    .size \sym\()_begin, \sym\()_end - \sym\()_begin
.endm

cs_blob cs_digits_train_images, CONVSCOPE_RESOURCES_DIR, "/digits/train-images-idx3-ubyte.gz"
cs_blob cs_digits_train_labels, CONVSCOPE_RESOURCES_DIR, "/digits/train-labels-idx1-ubyte.gz"
cs_blob cs_digits_test_images, CONVSCOPE_RESOURCES_DIR, "/digits/t10k-images-idx3-ubyte.gz"
cs_blob cs_digits_test_labels, CONVSCOPE_RESOURCES_DIR, "/digits/t10k-labels-idx1-ubyte.gz"

/* No executable stack wanted. */
.section .note.GNU-stack, "", @progbits
