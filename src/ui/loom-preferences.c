/* loom-preferences.c: the preferences window, every row bound to GSettings but the API key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-generation-preferences.h"
#include "loom-generation-util.h"
#include "loom-preferences.h"

struct _LoomPreferences
{
  AdwPreferencesWindow  parent_instance;

  /* template children */
  GtkSwitch            *characters_switch;
  GtkSwitch            *spelling_switch;

  /* owned */
  GSettings            *settings;
  LoomGenerationPreferences *ai;  /* a child */
};

G_DEFINE_FINAL_TYPE (LoomPreferences, loom_preferences, ADW_TYPE_PREFERENCES_WINDOW)

LoomPreferences *
loom_preferences_new (void)
{
  return g_object_new (LOOM_TYPE_PREFERENCES, NULL);
}

void
loom_preferences_set_library (LoomPreferences *self,
                              LoomStore       *store,
                              LoomStory       *story)
{
  g_return_if_fail (LOOM_IS_PREFERENCES (self));

  loom_generation_preferences_set_library (self->ai, store, story);
}

static void
loom_preferences_dispose (GObject *object)
{
  LoomPreferences *self = (LoomPreferences *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_PREFERENCES);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (loom_preferences_parent_class)->dispose (object);
}

static void
loom_preferences_class_init (LoomPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_preferences_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/loom-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomPreferences, characters_switch);
  gtk_widget_class_bind_template_child (widget_class, LoomPreferences, spelling_switch);
}

static void
loom_preferences_init (LoomPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The window's own search, before the pages with controls of ours are added. */
  loom_ui_name_internal_controls (GTK_WIDGET (self), _("Search Preferences"), NULL);

  /* The AI co-writer's page: server, key, model and generation (issue 6). */
  {
    AdwPreferencesPage *ai = ADW_PREFERENCES_PAGE (loom_generation_preferences_new ());

    /* It opens on the AI page: that is where the writer is sent when generation can't run. */
    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ai);
    adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self), ai);
    self->ai = LOOM_GENERATION_PREFERENCES (ai);
  }

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "show-characters", self->characters_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "spell-check", self->spelling_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
}
