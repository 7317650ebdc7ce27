/* test-generation-util.h: the writing window the generation tests open against the mock server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <gio/gio.h>

#include "loom-chapter.h"
#include "loom-mock-server.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "loom-window-private.h"
#include "test-util.h"

G_BEGIN_DECLS

/* A library of one story, one chapter and two scenes, shown in a window whose AI server is
 * the mock server. */
typedef struct
{
  char           *dir;
  LoomStore      *store;
  LoomStory      *story;
  LoomChapter    *chapter;
  LoomScene      *scenes[2];
  LoomMockServer *server;
  GSettings      *settings;
  LoomWindow     *window;
} TestGenerationWindow;

/* Opens the window; the mock server answers every request with @n_deltas deltas, @delay_ms
 * apart. Returns once @ready (given @w) holds. */
void test_generation_window_open  (TestGenerationWindow *w,
                                   const char           *dir_template,
                                   guint                 n_deltas,
                                   guint                 delay_ms,
                                   TestCondition         ready);
void test_generation_window_close (TestGenerationWindow *w);

/* The window is mapped, the key is known and the sidebar lists the second scene. */
gboolean test_generation_window_ready (gpointer data);

/* An AdwMessageDialog is on screen (the questions before spending or replacing words). */
gboolean          test_generation_question_shown (gpointer data);
gboolean          test_generation_no_question    (gpointer data);
/* The question, once it is on screen and has settled where the pointer will find it. */
AdwMessageDialog *test_generation_wait_question  (void);
/* Lets whatever a key or a click might have started begin: a request would reach the mock by
 * then. */
void              test_generation_settle         (void);

G_END_DECLS
