/* loom-zip.c: a small zip writer for EPUB and DOCX
 *
 * Writes each entry whole (the exporters hold every part in memory anyway), so sizes and
 * CRCs go into the local header and no data descriptors are needed: EPUB readers want a
 * plain local header for the first entry, "mimetype", stored. Deflate comes from GIO's
 * zlib converter in raw mode; there is no ZIP64, so an archive stops at 4 GiB with an error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-zip"

#include "config.h"

#include <string.h>

#include <zlib.h>

#include <glib/gi18n.h>

#include "loom-zip.h"

typedef struct
{
  char    *name;
  guint32  crc;
  guint32  compressed_size;
  guint32  size;
  guint32  offset;
  guint16  method;
} ZipEntry;

struct _LoomZip
{
  GObject        parent_instance;

  GOutputStream *stream;
  GArray        *entries;   /* ZipEntry */
  guint64        offset;
  guint16        dos_time;
  guint16        dos_date;
  gboolean       finished;
};

G_DEFINE_FINAL_TYPE (LoomZip, loom_zip, G_TYPE_OBJECT)

enum {
  METHOD_STORED = 0,
  METHOD_DEFLATED = 8,
};

static void
zip_entry_clear (gpointer data)
{
  ZipEntry *entry = data;

  g_clear_pointer (&entry->name, g_free);
}

static void
loom_zip_finalize (GObject *object)
{
  LoomZip *self = LOOM_ZIP (object);

  g_clear_object (&self->stream);
  g_clear_pointer (&self->entries, g_array_unref);

  G_OBJECT_CLASS (loom_zip_parent_class)->finalize (object);
}

static void
loom_zip_class_init (LoomZipClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = loom_zip_finalize;
}

static void
loom_zip_init (LoomZip *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int year = CLAMP (g_date_time_get_year (now), 1980, 2107);

  self->entries = g_array_new (FALSE, TRUE, sizeof (ZipEntry));
  g_array_set_clear_func (self->entries, zip_entry_clear);
  /* MS-DOS time, as zip keeps it: two-second steps, years from 1980. */
  self->dos_time = (g_date_time_get_hour (now) << 11) | (g_date_time_get_minute (now) << 5) |
                   (g_date_time_get_second (now) / 2);
  self->dos_date = ((year - 1980) << 9) | (g_date_time_get_month (now) << 5) |
                   g_date_time_get_day_of_month (now);
}

/**
 * loom_zip_new:
 * @stream: where the archive goes; the zip writes from its current position
 *
 * Returns: (transfer full): a writer; add entries, then call loom_zip_finish().
 */
LoomZip *
loom_zip_new (GOutputStream *stream)
{
  LoomZip *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  self = g_object_new (LOOM_TYPE_ZIP, NULL);
  self->stream = g_object_ref (stream);
  return self;
}

static void
put16 (GByteArray *out,
       guint16     value)
{
  guint8 b[2] = { value & 0xff, value >> 8 };

  g_byte_array_append (out, b, 2);
}

static void
put32 (GByteArray *out,
       guint32     value)
{
  guint8 b[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >> 24 };

  g_byte_array_append (out, b, 4);
}

static gboolean
write_all (LoomZip       *self,
           const void    *data,
           gsize          length,
           GCancellable  *cancellable,
           GError       **error)
{
  if (!g_output_stream_write_all (self->stream, data, length, NULL, cancellable, error))
    return FALSE;
  self->offset += length;
  return TRUE;
}

static GBytes *
deflate_raw (const void    *data,
             gsize          length,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GZlibCompressor) compressor =
    g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, 6);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) converter =
    g_converter_output_stream_new (memory, G_CONVERTER (compressor));

  if (!g_output_stream_write_all (converter, data, length, NULL, cancellable, error) ||
      !g_output_stream_close (converter, cancellable, error))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

static gboolean
too_big (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                       _("The file would be larger than 4 GiB, which this exporter cannot "
                         "write. Export a shorter story."));
  return FALSE;
}

/**
 * loom_zip_add:
 * @name: the entry's path inside the archive, ASCII, with '/' between folders
 * @compress: deflate the data; FALSE stores it as is (EPUB wants that for "mimetype")
 *
 * Writes one entry. Entries appear in the archive in the order they were added.
 */
gboolean
loom_zip_add (LoomZip       *self,
              const char    *name,
              const void    *data,
              gsize          length,
              gboolean       compress,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GByteArray) header = g_byte_array_new ();
  g_autoptr(GBytes) deflated = NULL;
  const void *body = data;
  gsize body_length = length;
  gsize name_length = strlen (name);
  ZipEntry entry = { 0 };

  g_return_val_if_fail (LOOM_IS_ZIP (self), FALSE);
  g_return_val_if_fail (!self->finished, FALSE);
  g_return_val_if_fail (name_length > 0 && name_length < G_MAXUINT16, FALSE);

  if (length > G_MAXUINT32 || self->offset > G_MAXUINT32)
    return too_big (error);

  entry.method = METHOD_STORED;
  if (compress && length > 0)
    {
      deflated = deflate_raw (data, length, cancellable, error);
      if (deflated == NULL)
        return FALSE;
      /* Text always shrinks; keep whatever is smaller all the same. */
      if (g_bytes_get_size (deflated) < length)
        {
          body = g_bytes_get_data (deflated, &body_length);
          entry.method = METHOD_DEFLATED;
        }
    }

  entry.crc = crc32_z (0, data, length);
  entry.size = length;
  entry.compressed_size = body_length;
  entry.offset = self->offset;

  put32 (header, 0x04034b50);
  put16 (header, entry.method == METHOD_DEFLATED ? 20 : 10);   /* version needed */
  put16 (header, 0);                                            /* flags */
  put16 (header, entry.method);
  put16 (header, self->dos_time);
  put16 (header, self->dos_date);
  put32 (header, entry.crc);
  put32 (header, entry.compressed_size);
  put32 (header, entry.size);
  put16 (header, name_length);
  put16 (header, 0);                                            /* extra field */
  g_byte_array_append (header, (const guint8 *) name, name_length);

  if (!write_all (self, header->data, header->len, cancellable, error) ||
      !write_all (self, body, body_length, cancellable, error))
    return FALSE;

  entry.name = g_strdup (name);
  g_array_append_val (self->entries, entry);
  return TRUE;
}

gboolean
loom_zip_add_string (LoomZip       *self,
                     const char    *name,
                     const char    *text,
                     gboolean       compress,
                     GCancellable  *cancellable,
                     GError       **error)
{
  return loom_zip_add (self, name, text, strlen (text), compress, cancellable, error);
}

/**
 * loom_zip_finish:
 *
 * Writes the central directory. The stream is left open: closing it is the caller's.
 */
gboolean
loom_zip_finish (LoomZip       *self,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GByteArray) directory = g_byte_array_new ();
  guint64 start = self->offset;

  g_return_val_if_fail (LOOM_IS_ZIP (self), FALSE);
  g_return_val_if_fail (!self->finished, FALSE);

  if (self->entries->len >= G_MAXUINT16)
    return too_big (error);

  for (guint i = 0; i < self->entries->len; i++)
    {
      const ZipEntry *entry = &g_array_index (self->entries, ZipEntry, i);
      gsize name_length = strlen (entry->name);

      put32 (directory, 0x02014b50);
      put16 (directory, (3 << 8) | 20);                           /* made by: Unix, 2.0 */
      put16 (directory, entry->method == METHOD_DEFLATED ? 20 : 10);
      put16 (directory, 0);
      put16 (directory, entry->method);
      put16 (directory, self->dos_time);
      put16 (directory, self->dos_date);
      put32 (directory, entry->crc);
      put32 (directory, entry->compressed_size);
      put32 (directory, entry->size);
      put16 (directory, name_length);
      put16 (directory, 0);                                        /* extra field */
      put16 (directory, 0);                                        /* comment */
      put16 (directory, 0);                                        /* disk */
      put16 (directory, 0);                                        /* internal attributes */
      put32 (directory, 0100644u << 16);                           /* rw-r--r-- */
      put32 (directory, entry->offset);
      g_byte_array_append (directory, (const guint8 *) entry->name, name_length);
    }

  if (start + directory->len > G_MAXUINT32)
    return too_big (error);

  put32 (directory, 0x06054b50);
  put16 (directory, 0);
  put16 (directory, 0);
  put16 (directory, self->entries->len);
  put16 (directory, self->entries->len);
  put32 (directory, directory->len - 4 - 2 - 2 - 2 - 2);
  put32 (directory, start);
  put16 (directory, 0);

  if (!write_all (self, directory->data, directory->len, cancellable, error))
    return FALSE;
  self->finished = TRUE;
  return TRUE;
}
