// SPDX-License-Identifier: MIT
/*
 * The model: a three-layer dense network with float32 weights kept in
 * DIR/model.bin, mapped read-only at start. A missing file is generated from
 * a fixed seed, so every run and every machine serves the same model.
 */
#include "samples/serving/serving.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MODEL_MAGIC "SRVMODL1"
#define MODEL_HDR 24	/* magic, then in, hid, out, reserved as u32 LE */
#define MODEL_FLOATS ((size_t)SRV_MODEL_IN * SRV_MODEL_HID + SRV_MODEL_HID + \
		      (size_t)SRV_MODEL_HID * SRV_MODEL_HID + SRV_MODEL_HID + \
		      (size_t)SRV_MODEL_HID * SRV_MODEL_OUT + SRV_MODEL_OUT)
#define MODEL_BYTES (MODEL_HDR + MODEL_FLOATS * sizeof(float))

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static uint32_t get_le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Small weights in [-0.05, 0.05) from xorshift32, so activations stay sane. */
static float next_weight(uint32_t *st)
{
	uint32_t x = *st;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*st = x;
	return ((float)(x >> 8) / (float)(1u << 24) - 0.5f) * 0.1f;
}

static int generate(const char *path)
{
	char tmp[4200];
	unsigned char *buf;
	uint32_t st = 0x5eed1234u;
	size_t i;
	int fd = -1, err = 0;

	buf = malloc(MODEL_BYTES);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, MODEL_MAGIC, 8);
	put_le32(buf + 8, SRV_MODEL_IN);
	put_le32(buf + 12, SRV_MODEL_HID);
	put_le32(buf + 16, SRV_MODEL_OUT);
	put_le32(buf + 20, 0);
	for (i = 0; i < MODEL_FLOATS; i++) {
		float w = next_weight(&st);

		memcpy(buf + MODEL_HDR + i * sizeof(float), &w, sizeof(w));
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		err = -errno;
	if (!err)
		err = srv_write_all(fd, (const char *)buf, MODEL_BYTES);
	if (fd >= 0 && close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	free(buf);
	return err;
}

static int map_model(const char *path, struct srv_model *out)
{
	struct stat st;
	const unsigned char *p;
	const float *f;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		err = -errno;
	else if ((size_t)st.st_size != MODEL_BYTES)
		err = -EBADMSG;
	if (!err) {
		out->map = mmap(NULL, MODEL_BYTES, PROT_READ, MAP_PRIVATE, fd, 0);
		if (out->map == MAP_FAILED)
			err = -errno;
	}
	close(fd);
	if (err)
		return err;
	out->map_len = MODEL_BYTES;
	p = out->map;
	if (memcmp(p, MODEL_MAGIC, 8) || get_le32(p + 8) != SRV_MODEL_IN ||
	    get_le32(p + 12) != SRV_MODEL_HID || get_le32(p + 16) != SRV_MODEL_OUT) {
		munmap(out->map, out->map_len);
		out->map = NULL;
		return -EBADMSG;
	}
	f = (const float *)(p + MODEL_HDR);
	out->w1 = f;
	out->b1 = out->w1 + (size_t)SRV_MODEL_IN * SRV_MODEL_HID;
	out->w2 = out->b1 + SRV_MODEL_HID;
	out->b2 = out->w2 + (size_t)SRV_MODEL_HID * SRV_MODEL_HID;
	out->w3 = out->b2 + SRV_MODEL_HID;
	out->b3 = out->w3 + (size_t)SRV_MODEL_HID * SRV_MODEL_OUT;
	return 0;
}

int srv_model_open(const char *dir, struct srv_model *out)
{
	char path[4096];
	int err;

	memset(out, 0, sizeof(*out));
	if (snprintf(path, sizeof(path), "%s/model.bin", dir) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	err = map_model(path, out);
	if (err == -ENOENT || err == -EBADMSG) {
		err = generate(path);
		if (!err)
			err = map_model(path, out);
	}
	return err;
}

void srv_model_close(struct srv_model *m)
{
	if (m->map)
		munmap(m->map, m->map_len);
	m->map = NULL;
}

/* out[j] = relu(b[j] + sum_i w[j * n_in + i] * in[i]): one dot product per
 * output, a dependent chain of adds the compiler keeps in order, which is
 * what makes a request cost a few hundred microseconds of CPU. */
static void dense(const float *w, const float *b, const float *in, size_t n_in,
		  float *out, size_t n_out, int relu)
{
	size_t i, j;

	for (j = 0; j < n_out; j++) {
		const float *row = w + j * n_in;
		float acc = b[j];

		for (i = 0; i < n_in; i++)
			acc += row[i] * in[i];
		out[j] = relu && acc < 0 ? 0 : acc;
	}
}

void srv_model_infer(const struct srv_model *m, const float *in, float *out)
{
	float h1[SRV_MODEL_HID], h2[SRV_MODEL_HID];

	dense(m->w1, m->b1, in, SRV_MODEL_IN, h1, SRV_MODEL_HID, 1);
	dense(m->w2, m->b2, h1, SRV_MODEL_HID, h2, SRV_MODEL_HID, 1);
	dense(m->w3, m->b3, h2, SRV_MODEL_HID, out, SRV_MODEL_OUT, 0);
}
