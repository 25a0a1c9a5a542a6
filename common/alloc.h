/* SPDX-License-Identifier: MIT */
/* Overflow-checked array growth. */
#ifndef COMMON_ALLOC_H
#define COMMON_ALLOC_H

#include <stddef.h>

/*
 * Makes *arr hold at least 'need' elements of 'size' bytes, growing the
 * capacity *cap geometrically. New memory is zeroed. 0 or -ENOMEM (then *arr
 * and *cap are unchanged and still owned by the caller).
 */
int alloc_grow(void **arr, size_t *cap, size_t need, size_t size);

/* calloc/malloc with an overflow check on n * size; NULL on failure. */
void *alloc_array(size_t n, size_t size);

#endif
