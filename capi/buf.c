/* peat_buf_free is plain C: it only releases malloc'ed memory, so it need
 * not cross into the Go runtime (a cgo call costs ~60 ns, paid once per
 * successful call by every binding). */
#include <stdlib.h>

#include "peat.h"

void peat_buf_free(peat_buf* buf) {
  if (buf == NULL) return;
  free(buf->data);
  buf->data = NULL;
  buf->len = 0;
}
