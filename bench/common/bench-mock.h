/* bench-mock.h: the mock OpenRouter server on a thread of its own, for the benchmarks that
 * stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "loom-mock-server.h"

G_BEGIN_DECLS

typedef struct _BenchMock BenchMock;

BenchMock  *bench_mock_start        (const LoomMockResponse *response);
const char *bench_mock_get_base_url (BenchMock              *mock);
void        bench_mock_set_default  (BenchMock              *mock,
                                     const LoomMockResponse *response);
void        bench_mock_stop         (BenchMock              *mock);

G_END_DECLS
