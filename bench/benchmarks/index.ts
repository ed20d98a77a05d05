import type { Benchmark } from '../harness.js';
import { checksAllTimeouts, checksHealthy, checksHealthyWithXdr, runsHistory } from './checks.js';
import { harSanitize100, harSanitize1500 } from './har.js';
import { archive1GiB, archiveCertificate, archivePassword } from './archive.js';
import { profilesList, profilesSearch, vaultUnlock } from './profiles.js';
import { rendererSize } from './renderer-size.js';
import { webHostFcp } from './web-host-fcp.js';
import { soakArchives, soakChecks } from './soak.js';
import { upload256 } from './upload.js';
import { checkAll50 } from './check-all.js';
import { cliHarSanitizeSmall, cliStart } from './cli-start.js';
import { harScanner } from './har-scanner.js';
import { archiveWithLogs } from './appliance-logs.js';

/** Every named benchmark; later features append theirs here. */
export const benchmarks: Benchmark[] = [webHostFcp, rendererSize, profilesList, profilesSearch, vaultUnlock, checksHealthy, checksHealthyWithXdr, checksAllTimeouts, runsHistory, harSanitize100, harSanitize1500, archivePassword, archiveCertificate, archive1GiB, soakChecks, soakArchives, upload256, checkAll50, cliStart, cliHarSanitizeSmall, harScanner, archiveWithLogs];
