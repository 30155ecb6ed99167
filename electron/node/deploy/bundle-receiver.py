# The bundle receiver and hasher, run on the deploy node by bundle-receiver.ts (receiverCommand), which describes
# the protocol. python3 -I -S: the standard library only; written for Python 3.6 and later.
import fcntl, hashlib, json, os, queue, signal, stat, sys, threading, time

# Whole files up to this size are made on a second thread, with up to MADE_APART_QUEUE_BYTES waiting for it.
MADE_APART_BYTES = 64 * 1024
MADE_APART_QUEUE_BYTES = 16 * 1024 * 1024

def digest(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        while True:
            block = f.read(1048576)
            if not block:
                return h.hexdigest()
            h.update(block)

def safe_digest(path):
    try:
        return digest(path)
    except OSError:
        return '-'

def mtime(info):
    return str(info.st_mtime_ns)

def threads():
    # Imported when first needed: most pushes never read a file back, and the import is a part of every start.
    from concurrent.futures import ThreadPoolExecutor
    return ThreadPoolExecutor(os.cpu_count() or 1)

def hash_paths():
    names = [name for name in sys.stdin.buffer.read().split(b'\0') if name]
    with threads() as pool:
        for sum in pool.map(safe_digest, names):
            sys.stdout.write(sum + '\n')

def stop_previous(pidfile):
    try:
        with open(pidfile) as f:
            pid = int(f.read())
        if pid == os.getpid() or os.readlink('/proc/%d/cwd' % pid) != os.getcwd():
            return
        os.kill(pid, signal.SIGTERM)
    except (OSError, ValueError):
        return
    for _ in range(200):
        if not os.path.exists('/proc/%d' % pid):
            return
        time.sleep(0.01)

def node_state(folder):
    try:
        with open(os.path.join(folder, 'verified.json')) as f:
            record = f.read()
    except OSError:
        record = None
    files = []
    for parent, dirs, names in os.walk('.'):
        if parent == '.' and folder in dirs:
            dirs.remove(folder)
        for name in names:
            path = os.path.join(parent, name)[2:]
            info = os.lstat(path)
            if stat.S_ISREG(info.st_mode):
                files.append([path, info.st_size, mtime(info)])
    disk = os.statvfs('.')
    mount = os.getcwd()
    while not os.path.ismount(mount):
        mount = os.path.dirname(mount)
    return 'S %s\n' % json.dumps({'record': record, 'files': files, 'free': disk.f_bavail * disk.f_frsize, 'mount': mount})

class Replies:
    def __init__(self):
        self.lock = threading.Lock()
        self.pending = []
    def add(self, line):
        with self.lock:
            self.pending.append(line)
    def flush(self):
        with self.lock:
            data = ''.join(self.pending).encode()
            self.pending = []
            while data:
                data = data[os.write(1, data):]

class Input:
    # One buffer, read into and handed out as views: no allocation per read.
    def __init__(self, replies):
        self.replies = replies
        self.buf = bytearray(4194304)
        self.view = memoryview(self.buf)
        self.start = 0
        self.end = 0
    def fill(self):
        self.replies.flush()
        if self.start > 0:
            rest = bytes(self.view[self.start:self.end])
            self.buf[0:len(rest)] = rest
            self.start, self.end = 0, len(rest)
        if self.end == len(self.buf):
            bigger = bytearray(2 * len(self.buf))
            bigger[0:self.end] = self.view[0:self.end]
            self.buf, self.view = bigger, memoryview(bigger)
        count = os.readv(0, [self.view[self.end:]])
        self.end += count
        return count > 0
    def line(self):
        while True:
            end = self.buf.find(b'\n', self.start, self.end)
            if end >= 0:
                line = bytes(self.view[self.start:end])
                self.start = end + 1
                return line
            if not self.fill():
                if self.start < self.end:
                    sys.exit('the stream ended inside a header')
                return None
    def take(self, size):
        if self.start >= self.end and not self.fill():
            return None
        block = self.view[self.start:min(self.end, self.start + size)]
        self.start += len(block)
        return block

def open_target(path, frame, umask):
    # A new file gets its mode as it is made and its bytes in order; one already there (a resumed file, or the
    # same path pushed again) is sized to the file's size first, which keeps the bytes it has below that.
    mode = frame['m'] & 0o7777
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        if mode & ~umask != mode:
            os.fchmod(fd, mode)
        return fd
    except FileExistsError:
        pass
    whole = frame['o'] == 0 and frame['n'] == frame['s']
    fd = os.open(path, os.O_WRONLY | (os.O_TRUNC if whole else 0))
    if not whole:
        os.ftruncate(fd, frame['s'])
    os.fchmod(fd, mode)
    return fd

class Maker:
    # Makes whole small files on a thread of its own. The bytes waiting for it are bounded: the reading thread
    # waits when the file system falls that far behind.
    def __init__(self, replies, sums, umask):
        self.replies, self.sums, self.umask = replies, sums, umask
        self.jobs = queue.Queue()
        self.room = threading.Condition()
        self.waiting = 0
        self.error = None
        self.thread = threading.Thread(target=self.run)
        self.thread.daemon = True
        self.thread.start()
    def submit(self, ident, path, frame, data):
        self.check()
        with self.room:
            while self.waiting and self.waiting + len(data) > MADE_APART_QUEUE_BYTES:
                self.room.wait()
            self.waiting += len(data)
        self.jobs.put((ident, path, frame, data))
    def run(self):
        while True:
            if self.jobs.empty():
                self.replies.flush()
            job = self.jobs.get()
            if job is None:
                return
            ident, path, frame, data = job
            with self.room:
                self.waiting -= len(data)
                self.room.notify()
            if self.error:
                continue
            try:
                fd = open_target(path, frame, self.umask)
                try:
                    view, offset = memoryview(data), 0
                    while offset < len(data):
                        offset += os.pwrite(fd, view[offset:], offset)
                finally:
                    os.close(fd)
                self.sums[path] = hashlib.sha256(data).hexdigest()
                self.replies.add('H %d %s\n' % (ident, self.sums[path]))
            except Exception as error:
                self.error = '%s: %s' % (path, getattr(error, 'strerror', None) or error)
    def finish(self):
        # Every file it was given is made (or it failed) once this returns.
        self.jobs.put(None)
        self.thread.join()
        self.check()
    def check(self):
        if self.error:
            sys.exit('writing %s' % self.error)

def receive(folder):
    pidfile = os.path.join(folder, 'receiver.pid')
    record = os.path.join(folder, 'verified.json')
    os.makedirs(folder, exist_ok=True)
    stop_previous(pidfile)
    with open(pidfile + '.tmp', 'w') as f:
        f.write(str(os.getpid()))
    os.replace(pidfile + '.tmp', pidfile)
    try:
        replies = Replies()
        replies.add(node_state(folder))
        # Sent before the input buffer is made: zeroing its 4 MiB takes 5-30 ms the laptop need not wait for.
        replies.flush()
        try:
            # A larger pipe from sshd: fewer wake-ups of both (F_SETPIPE_SZ, Linux).
            fcntl.fcntl(0, 1031, 1048576)
        except OSError:
            pass
        src = Input(replies)
        pool = None
        made = set()
        sums = {}
        running = {}
        umask = os.umask(0)
        os.umask(umask)
        # The file being written, kept open across its frames: [path, fd, offset of the next byte].
        current = None
        maker = Maker(replies, sums, umask)
        def read_back(ident, name):
            sums[name] = safe_digest(name)
            replies.add('H %d %s\n' % (ident, sums[name]))
            replies.flush()
        while True:
            line = src.line()
            if line is None:
                break
            frame = json.loads(line.decode('utf-8'))
            if 'r' in frame:
                maker.finish()
                if pool:
                    pool.shutdown(wait=True)
                write_record(record, frame['r'], sums)
                continue
            path = frame['p']
            if path.startswith('/') or '..' in path.split('/'):
                sys.exit('refusing a path outside the destination: %r' % path)
            if current and (current[0] != path or current[2] != frame['o']):
                os.close(current[1])
                current = None
            if not current:
                folder = os.path.dirname(path)
                if folder and folder not in made:
                    os.makedirs(folder, exist_ok=True)
                    made.add(folder)
            if frame['h'] and frame['o'] == 0 and frame['n'] == frame['s'] <= MADE_APART_BYTES:
                data = bytearray()
                while len(data) < frame['n']:
                    block = src.take(frame['n'] - len(data))
                    if not block:
                        sys.exit('the stream ended inside %s' % path)
                    data += block
                maker.submit(frame['i'], path, frame, data)
                continue
            if not current:
                current = [path, open_target(path, frame, umask), frame['o']]
            fd, offset, left = current[1], frame['o'], frame['n']
            # A file sent from its first byte in this session is hashed on its way to disk.
            if offset == 0:
                running[path] = [0, hashlib.sha256()]
            entry = running.get(path)
            if entry and entry[0] != offset:
                del running[path]
                entry = None
            try:
                while left > 0:
                    block = src.take(left)
                    if not block:
                        sys.exit('the stream ended inside %s' % path)
                    left -= len(block)
                    if entry:
                        entry[1].update(block)
                    while block:
                        written = os.pwrite(fd, block, offset)
                        offset += written
                        block = block[written:]
            finally:
                current[2] = offset
                if frame['h'] or left > 0:
                    os.close(fd)
                    current = None
            if entry:
                entry[0] = offset
            if frame['h'] and entry and offset == frame['s']:
                del running[path]
                sums[path] = entry[1].hexdigest()
                replies.add('H %d %s\n' % (frame['i'], sums[path]))
            elif frame['h']:
                # Resumed from an earlier session: only the file on disk has all its bytes.
                running.pop(path, None)
                replies.add('W %d\n' % frame['i'])
                pool = pool or threads()
                pool.submit(read_back, frame['i'], path)
            else:
                replies.add('W %d\n' % frame['i'])
        if current:
            os.close(current[1])
        maker.finish()
        if pool:
            pool.shutdown(wait=True)
        replies.flush()
    finally:
        # Gone with it, whatever the way out; a receiver stopped by the next one leaves it to that one.
        try:
            with open(pidfile) as f:
                if f.read() == str(os.getpid()):
                    os.remove(pidfile)
        except OSError:
            pass

def write_record(record, entries, sums):
    files = {}
    for path, expected in entries:
        if sums.get(path, expected) != expected:
            continue
        try:
            info = os.stat(path)
        except OSError:
            continue
        files[path] = {'size': info.st_size, 'mtime': mtime(info), 'sha256': expected}
    with open(record + '.tmp', 'w') as f:
        # dumps, not dump: dump encodes piece by piece in Python (3000 files: ~20 ms against ~6), at the push's end.
        f.write(json.dumps({'formatVersion': 1, 'files': files}))
    os.replace(record + '.tmp', record)

if sys.argv[1] == 'hash':
    hash_paths()
else:
    receive(sys.argv[2])
