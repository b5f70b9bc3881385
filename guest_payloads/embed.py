#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turns the flat guest image into a C array linked into vmexit-bench."""
import sys

def main():
    src, dst = sys.argv[1], sys.argv[2]
    data = open(src, 'rb').read()
    if not data:
        sys.exit('embed.py: %s is empty' % src)
    with open(dst, 'w') as out:
        out.write('/* Generated from %s: do not edit. */\n#include <stddef.h>\n' % src)
        out.write('const unsigned char guest_image[] __attribute__((aligned(16))) = {\n')
        for i in range(0, len(data), 16):
            out.write('\t' + ', '.join('0x%02x' % b for b in data[i:i + 16]) + ',\n')
        out.write('};\nconst size_t guest_image_size = %d;\n' % len(data))

if __name__ == '__main__':
    main()
