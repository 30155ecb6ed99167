# Run as root with the paths as "$@" (read-certificates.ts sets them). Prints one line per path, by its index:
# "found INDEX BASE64" with the file's bytes on one line, or "missing INDEX" when there is no such file.
i=0
for path in "$@"; do
  if [ -f "$path" ]; then
    printf 'found %s ' "$i"
    base64 < "$path" | tr -d '\n'
    printf '\n'
  else
    printf 'missing %s\n' "$i"
  fi
  i=$((i + 1))
done
