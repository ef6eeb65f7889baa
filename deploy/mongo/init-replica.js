// One-shot set-up of the compose file's replica set, run by mongosh --nodb:
// initiate rs0 (once), wait for a primary, create renke's user and a backup
// user (once). Running it again changes nothing.
//
// Environment: MONGO_ROOT_PASSWORD, RENKE_DB_PASSWORD, MONGO_BACKUP_PASSWORD,
// RENKE_DATABASE (default "renke").

const env = process.env;
function need(name) {
  const v = env[name];
  if (!v) {
    print(`init-replica: ${name} is not set`);
    quit(2);
  }
  return v;
}
const rootPassword = need("MONGO_ROOT_PASSWORD");
const renkePassword = need("RENKE_DB_PASSWORD");
const backupPassword = need("MONGO_BACKUP_PASSWORD");
const database = env.RENKE_DATABASE || "renke";

const members = ["mongo1:27017", "mongo2:27017", "mongo3:27017"];

// retry calls fn until it returns without throwing, or gives up.
function retry(what, fn, tries = 60) {
  for (let i = 1; ; i++) {
    try {
      return fn();
    } catch (e) {
      if (i >= tries) {
        print(`init-replica: ${what} failed: ${e.message}`);
        quit(1);
      }
      sleep(1000);
    }
  }
}

// mongo1 may still be in its entrypoint's short standalone start (which
// creates the root user): keep trying until the real mongod answers.
const admin = retry("connect to mongo1", () => {
  const uri = `mongodb://root:${encodeURIComponent(rootPassword)}@mongo1:27017/admin` +
    "?authSource=admin&directConnection=true&serverSelectionTimeoutMS=2000";
  const db = connect(uri);
  db.runCommand({ ping: 1 });
  return db;
});

let initiated = true;
try {
  admin.runCommand({ replSetGetStatus: 1 });
} catch (e) {
  if (e.codeName !== "NotYetInitialized" && e.code !== 94) throw e;
  initiated = false;
}
if (!initiated) {
  admin.runCommand({
    replSetInitiate: {
      _id: "rs0",
      members: members.map((host, i) => ({ _id: i, host: host })),
    },
  });
  print("init-replica: replica set rs0 initiated");
} else {
  print("init-replica: replica set rs0 already initiated");
}

// A new set elects a primary within seconds of the initiate (mongo1, the only
// member with data, since the others are still in initial sync).
retry("wait for a primary", () => {
  const hello = admin.runCommand({ hello: 1 });
  if (!hello.primary) throw new Error("no primary yet");
}, 120);

// From here on, talk to the set (whichever member is primary on a re-run).
const rsdb = retry("connect to rs0", () => {
  const uri = `mongodb://root:${encodeURIComponent(rootPassword)}@${members.join(",")}/admin` +
    "?replicaSet=rs0&authSource=admin&serverSelectionTimeoutMS=5000";
  const db = connect(uri);
  db.runCommand({ ping: 1 });
  return db;
});

// Wait for every member to join, so renke starts against a full set.
retry("wait for all members", () => {
  const st = rsdb.runCommand({ replSetGetStatus: 1 });
  const ok = st.members.filter((m) => m.stateStr === "PRIMARY" || m.stateStr === "SECONDARY");
  if (ok.length < members.length) throw new Error(`${ok.length}/${members.length} members up`);
}, 180);
print("init-replica: rs0 has a primary and all secondaries");

// ensureUser creates a user on the primary unless it exists; a majority write
// concern timeout is retried (the user is found the second time).
function ensureUser(name, pwd, roles) {
  const have = rsdb.runCommand({ usersInfo: name }).users.length > 0;
  if (have) {
    print(`init-replica: user ${name} exists`);
    return;
  }
  rsdb.runCommand({ createUser: name, pwd: pwd, roles: roles, writeConcern: { w: "majority", wtimeout: 60000 } });
  print(`init-replica: user ${name} created`);
}

// renke creates its own indexes at start: readWrite covers createIndexes.
retry("create user renke", () => ensureUser("renke", renkePassword, [{ role: "readWrite", db: database }]), 5);
// mongodump --oplog needs the backup role; restores go to a scratch server.
retry("create user backup", () => ensureUser("backup", backupPassword, [{ role: "backup", db: "admin" }]), 5);
print("init-replica: done");

