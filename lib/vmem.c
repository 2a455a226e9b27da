/*
 * vmem: see vmem.h.  A reservation is an anonymous private mapping with
 * MAP_NORESERVE, so it counts against nothing until touched.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "err.h"
#include "vmem.h"

void
vmem_init(struct vmem *v, size_t limit)
{
	memset(v, 0, sizeof *v);
	v->limit = limit;
}

void
vmem_need(struct vmem *v, size_t used, size_t n)
{
	if (n <= v->cap)
		return;
	if (!v->tried && !v->data && n <= v->limit) {
		v->tried = 1;
		void *p = mmap(NULL, v->limit, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p != MAP_FAILED) {
			mem_hugepages(p, v->limit);
			v->data = p;
			v->cap = v->limit;
			v->mapped = 1;
			return;
		}
	}
	size_t cap = v->cap ? v->cap : 1 << 16;
	while (cap < n)
		cap *= 2;
	if (v->mapped) {
		char *p = xmalloc(cap);
		memcpy(p, v->data, used);
		munmap(v->data, v->cap);
		v->data = p;
		v->mapped = 0;
	} else
		v->data = xrealloc(v->data, cap);
	v->cap = cap;
}

void
vmem_free(struct vmem *v)
{
	if (v->mapped)
		munmap(v->data, v->cap);
	else
		free(v->data);
	v->data = NULL;
	v->cap = 0;
	v->mapped = 0;
}
