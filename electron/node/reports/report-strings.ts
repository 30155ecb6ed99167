import { formatBytes } from '../../common/format-bytes';
import type { RunState } from '../../common/run';
import type { AppLocale } from '../../common/settings-api';

/**
 * The words of the HTML reports the core makes (run report, health report), in each language the window speaks.
 * Names the operator typed or the cluster reports (hosts, paths, Ansible's recap words ok/changed/…) stay as they are.
 */
const en = {
  yes: 'yes',
  no: 'no',
  listSeparator: ', ',
  couldNotRead: (error: string) => `Could not be read: ${error}`,
  state: {
    running: 'running',
    succeeded: 'succeeded',
    failed: 'failed',
    cancelled: 'cancelled',
    refused: 'refused: another run holds the lock',
    lost: 'lost',
  } satisfies Record<RunState, string>,
  result: (state: string, exitCode?: number) => (exitCode === undefined ? state : `${state} (exit ${exitCode})`),
  run: {
    title: (id: string, cluster: string, playbook: string) => `Airspray run ${id} — ${cluster} ${playbook}`,
    heading: (id: string, playbook: string, cluster: string) => `Run ${id}: ${playbook} on ${cluster}`,
    cluster: 'Cluster',
    playbook: 'Playbook',
    commandLine: 'Command line',
    result: 'Result',
    started: 'Started',
    finished: 'Finished',
    duration: 'Duration',
    startedBy: 'Started by',
    deployNode: 'Deploy node',
    bundleDigest: 'Bundle digest',
    inventoryDigest: 'Inventory digest',
    recordNumber: 'Record number',
    logSha256: 'Log sha256',
    previousRecordSha256: 'Previous record sha256',
    recap: 'Play recap',
    host: 'Host',
    failedTasks: 'Failed tasks',
    fullLog: 'Full log',
  },
  health: {
    title: (cluster: string) => `Airspray health report — ${cluster}`,
    heading: (cluster: string) => `Cluster health: ${cluster}`,
    madeAt: 'Made at',
    kubernetesVersion: 'Kubernetes version (plan)',
    deployNode: 'Deploy node',
    bundle: 'Bundle',
    noBundle: 'none chosen',
    bundleName: (id: string, kubespray: string) => `${id} (kubespray ${kubespray})`,
    manifestSha256: 'Bundle manifest sha256',
    signedBy: 'Signed by',
    notVerified: 'not verified on this data folder',
    nodes: 'Nodes',
    nodesFrom: (host: string) => `As the admin kubeconfig on ${host} reports them.`,
    nodeColumns: ['Node', 'Ready', 'Roles', 'Kubelet', 'Address', 'Why not ready'],
    etcd: 'etcd',
    memberColumns: ['Member', 'Endpoint', 'Healthy', 'Leader', 'Version', 'Database size', 'Error'],
    leader: 'leader',
    lastBackup: 'Last backup',
    backupTaken: (takenAt: string, member: string) => `${takenAt} on ${member}`,
    size: 'Size',
    revision: 'Revision',
    noBackup: 'No etcd backup has been taken for this project.',
    certificates: 'Certificates',
    certificateColumns: ['Host', 'Certificate', 'Expires', 'Days left'],
    certificateAuthority: (label: string) => `${label} (CA)`,
    hostsNotRead: ['Host not read', 'Why'],
    hostsInPlan: 'Hosts in the plan',
    hostColumns: ['Host', 'Address', 'Groups'],
    runs: 'Runs',
    runRecords: 'Run records',
    chainIntact: (records: number) => `intact (${records} sealed)`,
    chainChanged: (problems: number) => `CHANGED: ${problems} problems`,
    newestRecord: 'Newest record sha256',
    notCovered: 'Not covered',
    problemColumns: ['Run', 'Problem'],
    runColumns: ['Run', 'Playbook', 'Result', 'Started', 'Finished', 'Started by', 'Record'],
  },
};

export type ReportStrings = typeof en;

const zhCN: ReportStrings = {
  yes: '是',
  no: '否',
  listSeparator: '、',
  couldNotRead: (error) => `无法读取：${error}`,
  state: {
    running: '运行中',
    succeeded: '成功',
    failed: '失败',
    cancelled: '已取消',
    refused: '被拒绝：另一个运行持有锁',
    lost: '已失联',
  },
  result: (state, exitCode) => (exitCode === undefined ? state : `${state}（退出码 ${exitCode}）`),
  run: {
    title: (id, cluster, playbook) => `Airspray 运行 ${id} — ${cluster} ${playbook}`,
    heading: (id, playbook, cluster) => `运行 ${id}：在 ${cluster} 上执行 ${playbook}`,
    cluster: '集群',
    playbook: 'Playbook',
    commandLine: '命令行',
    result: '结果',
    started: '开始时间',
    finished: '结束时间',
    duration: '用时',
    startedBy: '启动者',
    deployNode: '部署节点',
    bundleDigest: '离线包摘要',
    inventoryDigest: '主机清单摘要',
    recordNumber: '记录编号',
    logSha256: '日志 sha256',
    previousRecordSha256: '上一条记录 sha256',
    recap: 'Play 汇总',
    host: '主机',
    failedTasks: '失败的任务',
    fullLog: '完整日志',
  },
  health: {
    title: (cluster) => `Airspray 健康报告 — ${cluster}`,
    heading: (cluster) => `集群健康状况：${cluster}`,
    madeAt: '生成时间',
    kubernetesVersion: 'Kubernetes 版本（规划）',
    deployNode: '部署节点',
    bundle: '离线包',
    noBundle: '未选择',
    bundleName: (id, kubespray) => `${id}（kubespray ${kubespray}）`,
    manifestSha256: '离线包清单 sha256',
    signedBy: '签名者',
    notVerified: '未在此数据目录中校验',
    nodes: '节点',
    nodesFrom: (host) => `由 ${host} 上的管理员 kubeconfig 报告。`,
    nodeColumns: ['节点', '就绪', '角色', 'Kubelet', '地址', '未就绪原因'],
    etcd: 'etcd',
    memberColumns: ['成员', '端点', '健康', '领导者', '版本', '数据库大小', '错误'],
    leader: '领导者',
    lastBackup: '最近一次备份',
    backupTaken: (takenAt, member) => `${takenAt}，来自 ${member}`,
    size: '大小',
    revision: '修订版本',
    noBackup: '此项目还没有 etcd 备份。',
    certificates: '证书',
    certificateColumns: ['主机', '证书', '到期时间', '剩余天数'],
    certificateAuthority: (label) => `${label}（CA）`,
    hostsNotRead: ['未读取的主机', '原因'],
    hostsInPlan: '规划中的主机',
    hostColumns: ['主机', '地址', '组'],
    runs: '运行',
    runRecords: '运行记录',
    chainIntact: (records) => `完好（${records} 条已封存）`,
    chainChanged: (problems) => `已被改动：${problems} 个问题`,
    newestRecord: '最新记录 sha256',
    notCovered: '未覆盖',
    problemColumns: ['运行', '问题'],
    runColumns: ['运行', 'Playbook', '结果', '开始时间', '结束时间', '启动者', '记录'],
  },
};

const strings: Record<AppLocale, ReportStrings> = { en, 'zh-CN': zhCN };

/** A report's words and its dates, durations, sizes and lists as `locale` writes them. */
export interface ReportLanguage {
  locale: AppLocale;
  text: ReportStrings;
  /** A timestamp in UTC, named as such: a report for change control is read in other time zones. */
  dateTime(iso: string): string;
  /** The time between two timestamps in hours, minutes and seconds. */
  duration(fromIso: string, toIso: string): string;
  bytes(bytes: number): string;
  /** Names joined as the renderer's joinItems joins them (", " or "、"). */
  list(items: readonly string[]): string;
}

export function reportLanguage(locale: AppLocale): ReportLanguage {
  const dates = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'long',
    timeZone: 'UTC',
    hourCycle: 'h23',
  });
  const units = new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' });
  const unit = (value: number, name: string) =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
  return {
    locale,
    text: strings[locale],
    dateTime: (iso) => (Number.isNaN(Date.parse(iso)) ? iso : dates.format(new Date(iso))),
    duration: (fromIso, toIso) => {
      const seconds = Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000));
      const parts = [
        [Math.floor(seconds / 3600), 'hour'],
        [Math.floor(seconds / 60) % 60, 'minute'],
        [seconds % 60, 'second'],
      ] as const;
      const shown = parts.filter(([value], index) => value > 0 || (index === 2 && seconds === 0));
      return units.format(shown.map(([value, name]) => unit(value, name)));
    },
    bytes: (bytes) => formatBytes(bytes, locale),
    list: (items) => items.join(strings[locale].listSeparator),
  };
}
