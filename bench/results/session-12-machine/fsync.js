const fs=require('fs');const fd=fs.openSync('./fsync-test.tmp','w');const buf=Buffer.alloc(8192,1);const t=[];
for(let i=0;i<300;i++){fs.writeSync(fd,buf);const s=process.hrtime.bigint();fs.fdatasyncSync(fd);t.push(Number(process.hrtime.bigint()-s)/1e6);}
fs.closeSync(fd);fs.unlinkSync('./fsync-test.tmp');t.sort((a,b)=>a-b);console.log('p50',t[150].toFixed(2),'p90',t[270].toFixed(2),'p99',t[297].toFixed(2),'max',t[299].toFixed(2));
